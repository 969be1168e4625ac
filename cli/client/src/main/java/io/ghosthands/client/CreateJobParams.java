package io.ghosthands.client;

import java.util.List;
import java.util.Map;

/**
 * A job to create, field for field as the REST API takes it (snake_case, like VALET's
 * {@code CreateJobParams}). Unset (null) fields are not sent and take the server's defaults.
 */
public class CreateJobParams {
    /** {@code apply}, {@code scrape}, {@code fill_form} or {@code custom}. Required. */
    public String job_type;
    /** The page to start on (http/https, at most 2048 characters). Required. */
    public String target_url;

    public String task_description;
    public Map<String, Object> input_data;
    /** 1 (most urgent) to 10; default 5. */
    public Integer priority;
    /** ISO-8601 instant; the job does not start before it. */
    public String scheduled_at;
    /** 0 to 10; default 3. */
    public Integer max_retries;
    /** 30 to 1800; default 300. */
    public Integer timeout_seconds;

    public List<String> tags;
    public String idempotency_key;
    public Map<String, Object> metadata;
    public String callback_url;
    public String user_id;
    /** Only the worker started with this {@code --worker-id} runs the job; null = any worker. */
    public String target_worker_id;
    /** {@code strict}, {@code preferred} (default) or {@code any}. */
    public String worker_affinity;

    public CreateJobParams() {}

    public CreateJobParams(String jobType, String targetUrl) {
        this.job_type = jobType;
        this.target_url = targetUrl;
    }
}
