package io.ghosthands.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The camelCase, fluent way to describe a job (VALET's {@code CreateJobOptions}). */
public class CreateJobOptions {
    private final CreateJobParams params = new CreateJobParams();

    public CreateJobOptions jobType(String jobType) {
        params.job_type = jobType;
        return this;
    }

    public CreateJobOptions targetUrl(String targetUrl) {
        params.target_url = targetUrl;
        return this;
    }

    public CreateJobOptions taskDescription(String taskDescription) {
        params.task_description = taskDescription;
        return this;
    }

    public CreateJobOptions inputData(Map<String, Object> inputData) {
        params.input_data = inputData;
        return this;
    }

    public CreateJobOptions priority(int priority) {
        params.priority = priority;
        return this;
    }

    public CreateJobOptions scheduledAt(Instant scheduledAt) {
        params.scheduled_at = scheduledAt == null ? null : scheduledAt.toString();
        return this;
    }

    public CreateJobOptions maxRetries(int maxRetries) {
        params.max_retries = maxRetries;
        return this;
    }

    public CreateJobOptions timeoutSeconds(int timeoutSeconds) {
        params.timeout_seconds = timeoutSeconds;
        return this;
    }

    public CreateJobOptions tags(List<String> tags) {
        params.tags = tags;
        return this;
    }

    public CreateJobOptions idempotencyKey(String idempotencyKey) {
        params.idempotency_key = idempotencyKey;
        return this;
    }

    public CreateJobOptions metadata(Map<String, Object> metadata) {
        params.metadata = metadata;
        return this;
    }

    public CreateJobOptions callbackUrl(String callbackUrl) {
        params.callback_url = callbackUrl;
        return this;
    }

    public CreateJobOptions userId(String userId) {
        params.user_id = userId;
        return this;
    }

    /** Only the worker started with {@code --worker-id=targetWorkerId} runs the job. */
    public CreateJobOptions targetWorkerId(String targetWorkerId) {
        params.target_worker_id = targetWorkerId;
        return this;
    }

    public CreateJobOptions workerAffinity(String workerAffinity) {
        params.worker_affinity = workerAffinity;
        return this;
    }

    /** The same job as wire-format params. */
    public CreateJobParams toParams() {
        return params;
    }
}
