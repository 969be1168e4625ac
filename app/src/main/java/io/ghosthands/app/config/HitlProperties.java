package io.ghosthands.app.config;

/** Human in the loop ({@code gh.hitl.*}; see {@link GhProperties#getHitl}). */
public class HitlProperties {
    /** {@code GH_HITL_TIMEOUT}: seconds a paused job waits for a human (a job may set its own). */
    private int timeoutSeconds = 300;

    public int getTimeoutSeconds() {
        return timeoutSeconds;
    }

    public void setTimeoutSeconds(int timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }
}
