package io.ghosthands.workflows;

/**
 * The failure types (of {@code ApplicationFailure}) that activities raise and the workflows act on,
 * so that activity code names them without reaching into workflow implementations.
 */
public final class FailureTypes {

    /** {@code JobStoreActivities.claim} for a job that already ended. */
    public static final String NOT_CLAIMABLE = "job_not_claimable";

    /** {@code CallbackActivities.deliver} for a receiver that refused for good. */
    public static final String CALLBACK_REJECTED = "callback_rejected";

    /** {@code error_details.reason} of a job whose page asked for an address the policy refuses. */
    public static final String BLOCKED_ADDRESS = "blocked_address";

    private FailureTypes() {}
}
