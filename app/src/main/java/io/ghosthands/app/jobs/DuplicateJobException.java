package io.ghosthands.app.jobs;

/**
 * A job was not created because another one stands in its place: the job with the same idempotency
 * key, or the job that holds its VALET task (one application per {@code valet_task_id}).
 */
public class DuplicateJobException extends RuntimeException {

    /** What the existing job shares with the refused one. */
    public enum Reason {
        /** The same {@code idempotency_key}. */
        IDEMPOTENCY_KEY,
        /** The same {@code valet_task_id}, which the existing job holds (see {@code gh_valet_task_holder}). */
        VALET_TASK
    }

    private final String existingJobId;
    private final String existingStatus;
    private final Reason reason;

    public DuplicateJobException(String existingJobId, String existingStatus) {
        this(existingJobId, existingStatus, Reason.IDEMPOTENCY_KEY);
    }

    public DuplicateJobException(String existingJobId, String existingStatus, Reason reason) {
        super(
                reason == Reason.VALET_TASK
                        ? "This VALET task already has a job: " + existingJobId
                        : "A job with this idempotency_key already exists: " + existingJobId);
        this.existingJobId = existingJobId;
        this.existingStatus = existingStatus;
        this.reason = reason;
    }

    public String existingJobId() {
        return existingJobId;
    }

    public String existingStatus() {
        return existingStatus;
    }

    public Reason reason() {
        return reason;
    }

    /** The API's error code for it. */
    public String errorCode() {
        return reason == Reason.VALET_TASK ? "duplicate_valet_task" : "duplicate_idempotency_key";
    }
}
