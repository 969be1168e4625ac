package io.ghosthands.activities.browser;

/**
 * Asks Temporal, right before a browser step clicks a final submit, whether the step's workflow
 * still wants it: a step whose workflow is gone (Temporal restarted and forgot it, the job was
 * terminated) or cancelled must not send an application nobody will record. The step's own
 * heartbeats learn this too, but only every half second and not while Temporal is out of reach.
 */
@FunctionalInterface
public interface SubmitCheck {

    /** What Temporal said about the running activity. */
    enum Verdict {
        /** The activity and its workflow run, and nobody asked to cancel them. */
        LIVE,
        /** The job was cancelled: the step stops and reports the cancellation. */
        CANCELLED,
        /** Temporal does not know the activity any more: its workflow is gone. */
        GONE,
        /** Temporal could not be asked. */
        UNREACHABLE
    }

    /** No check (tests that run steps without Temporal). */
    SubmitCheck NONE = taskToken -> Verdict.LIVE;

    /** Asks about the activity with this task token (a synchronous heartbeat). */
    Verdict check(byte[] taskToken);
}
