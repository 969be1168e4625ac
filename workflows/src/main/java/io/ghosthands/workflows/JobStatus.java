package io.ghosthands.workflows;

import java.util.Locale;
import java.util.Set;

/** The statuses of contract section 1, as stored in {@code gh_automation_jobs.status}. */
public enum JobStatus {
    /** Row written, workflow not yet started on a task queue. */
    PENDING,
    /** Workflow started on its task queue, no worker has claimed it yet. */
    QUEUED,
    RUNNING,
    /** Waiting for a human (CAPTCHA, 2FA, login…). */
    PAUSED,
    COMPLETED,
    FAILED,
    CANCELLED,
    /** Never started before its deadline. */
    EXPIRED;

    public static final Set<JobStatus> TERMINAL = Set.of(COMPLETED, FAILED, CANCELLED, EXPIRED);

    /** The stored, lower-case form. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    public static JobStatus of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
