package io.ghosthands.workflows;

import java.util.UUID;

/** One workflow per job, named after it, so starting a job twice is harmless. */
public final class WorkflowIds {

    private static final String JOB_PREFIX = "gh-job-";
    private static final String CALLBACK_PREFIX = "gh-callback-";

    private WorkflowIds() {}

    public static String forJob(UUID jobId) {
        return JOB_PREFIX + jobId;
    }

    public static String forJob(String jobId) {
        return JOB_PREFIX + jobId;
    }

    /** The {@link CallbackWorkflow} delivering the callback with this event id. */
    public static String forCallback(UUID eventId) {
        return CALLBACK_PREFIX + eventId;
    }
}
