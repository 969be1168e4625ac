package io.ghosthands.app.config;

/** How jobs run ({@code gh.jobs.*}; see {@link GhProperties#getJobs}). */
public class JobsProperties {
    /**
     * {@code GH_RETRY_BACKOFF_SECONDS}: wait before a job's first automatic retry; doubles with each
     * retry, capped at 60 s.
     */
    private int retryBackoffSeconds = 5;

    /**
     * {@code GH_PREFERRED_FALLBACK}: seconds a job with a target worker and {@code preferred} affinity
     * waits for that worker before the shared pool takes it.
     */
    private int preferredFallbackSeconds = 60;

    /**
     * {@code GH_STRICT_START_DEADLINE}: seconds a job with {@code strict} affinity waits for its
     * worker before it expires ({@code worker_unavailable}).
     */
    private int startDeadlineSeconds = 600;

    public int getPreferredFallbackSeconds() {
        return preferredFallbackSeconds;
    }

    public void setPreferredFallbackSeconds(int preferredFallbackSeconds) {
        this.preferredFallbackSeconds = preferredFallbackSeconds;
    }

    public int getStartDeadlineSeconds() {
        return startDeadlineSeconds;
    }

    public void setStartDeadlineSeconds(int startDeadlineSeconds) {
        this.startDeadlineSeconds = startDeadlineSeconds;
    }

    public int getRetryBackoffSeconds() {
        return retryBackoffSeconds;
    }

    public void setRetryBackoffSeconds(int retryBackoffSeconds) {
        this.retryBackoffSeconds = retryBackoffSeconds;
    }
}
