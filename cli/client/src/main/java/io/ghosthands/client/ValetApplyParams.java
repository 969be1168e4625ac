package io.ghosthands.client;

import java.util.Map;

/** {@code POST /valet/apply}: apply to a posting for a VALET user (snake_case, as on the wire). */
public class ValetApplyParams {
    public String valet_task_id;
    public String valet_user_id;
    public String target_url;
    public String platform;
    /** {@code {storage_path | s3_key | download_url}}. */
    public Map<String, Object> resume;
    /** first_name, last_name, email, phone, linkedin_url, location{…}, education[], work_history[], skills[]… */
    public Map<String, Object> profile;

    public Map<String, String> qa_answers;
    public String callback_url;
    public String quality;
    public Integer priority;
    public Integer timeout_seconds;
    public Integer max_retries;
    public String idempotency_key;
    public Map<String, Object> metadata;
    public String target_worker_id;
    public String worker_affinity;
    public String model;
    public String image_model;
    public String execution_mode;
}
