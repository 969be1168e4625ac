package io.ghosthands.app.config;

/** The REST API role ({@code gh.api.*}; see {@link GhProperties#getApi}). */
public class ApiProperties {
    /** Whether this process serves the REST API (set by the launcher: {@code gh api}, {@code gh dev}). */
    private boolean enabled = true;

    /**
     * Seconds a job may stay {@code pending} (its workflow not started, e.g. Temporal was down) before
     * the dispatcher starts it again.
     */
    private int redispatchAfterSeconds = 5;

    /**
     * Threads writing new jobs to the database; each writes every job that arrived while it was busy
     * in one statement ({@code GH_CREATE_WRITERS}).
     */
    private int createWriters = 2;

    /**
     * {@code GH_MAX_BODY_BYTES}: the largest request body the API reads (1 MiB, as the earlier
     * server's); a larger one is answered 413.
     */
    private long maxBodyBytes = 1024 * 1024;

    public long getMaxBodyBytes() {
        return maxBodyBytes;
    }

    public void setMaxBodyBytes(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Seconds a queued, running or paused job must have gone without a sign of life (its row's
     * {@code updated_at} / {@code last_heartbeat}) before the reconciler asks Temporal whether its
     * workflow still runs; 0 turns the reconciler off.
     */
    private int reconcileAfterSeconds = 60;

    public int getReconcileAfterSeconds() {
        return reconcileAfterSeconds;
    }

    public void setReconcileAfterSeconds(int reconcileAfterSeconds) {
        this.reconcileAfterSeconds = reconcileAfterSeconds;
    }

    public int getCreateWriters() {
        return createWriters;
    }

    public void setCreateWriters(int createWriters) {
        this.createWriters = createWriters;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getRedispatchAfterSeconds() {
        return redispatchAfterSeconds;
    }

    public void setRedispatchAfterSeconds(int redispatchAfterSeconds) {
        this.redispatchAfterSeconds = redispatchAfterSeconds;
    }
}
