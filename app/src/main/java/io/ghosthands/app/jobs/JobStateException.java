package io.ghosthands.app.jobs;

/** A request that the job's current state does not allow (or a job that does not exist). */
public class JobStateException extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        NOT_FOUND,
        NOT_CANCELLABLE,
        NOT_RETRYABLE,
        NOT_PAUSED
    }

    private final Kind kind;
    private final String currentStatus;

    public JobStateException(Kind kind, String currentStatus) {
        super(kind + (currentStatus == null ? "" : " (status " + currentStatus + ")"));
        this.kind = kind;
        this.currentStatus = currentStatus;
    }

    public Kind kind() {
        return kind;
    }

    public String currentStatus() {
        return currentStatus;
    }
}
