package io.ghosthands.client;

import java.util.Map;

/** {@code POST /valet/task}: any job type for a VALET user (snake_case, as on the wire). */
public class ValetTaskParams {
    public String valet_task_id;
    public String valet_user_id;
    public String job_type;
    public String target_url;
    public String task_description;
    public Map<String, Object> input_data;
    public String callback_url;
    public Integer priority;
    public Integer timeout_seconds;
    public Integer max_retries;
    public String idempotency_key;
    public Map<String, Object> metadata;
    public String target_worker_id;
    public String worker_affinity;
    public String model;
    public String image_model;
}
