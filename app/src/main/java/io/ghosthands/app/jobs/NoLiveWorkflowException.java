package io.ghosthands.app.jobs;

/**
 * A request that needs the job's workflow (a resume, the cancel of a running or paused job) while
 * that workflow is gone ({@link #gone()}: Temporal does not know it, or it ended) or Temporal cannot
 * be reached. The row is left as it was; the API answers 409 or 503.
 */
public class NoLiveWorkflowException extends RuntimeException {

    private final boolean gone;
    private final String currentStatus;

    public NoLiveWorkflowException(boolean gone, String currentStatus, String message) {
        super(message, null, false, false);
        this.gone = gone;
        this.currentStatus = currentStatus;
    }

    /** True: the workflow is gone (409); false: Temporal could not be reached (503). */
    public boolean gone() {
        return gone;
    }

    public String currentStatus() {
        return currentStatus;
    }
}
