package io.ghosthands.app.worker;

import com.google.protobuf.ByteString;
import io.ghosthands.activities.browser.SubmitCheck;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.concurrent.TimeUnit;

/**
 * {@link SubmitCheck} by a synchronous activity heartbeat: Temporal answers whether the activity
 * (and so its workflow) still exists and whether its cancellation was requested.
 */
final class TemporalSubmitCheck implements SubmitCheck {

    private final WorkflowServiceStubs service;
    private final String namespace;
    private final String identity;

    TemporalSubmitCheck(WorkflowServiceStubs service, String namespace, String identity) {
        this.service = service;
        this.namespace = namespace;
        this.identity = identity;
    }

    @Override
    public Verdict check(byte[] taskToken) {
        try {
            boolean cancel = service.blockingStub()
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .recordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest.newBuilder()
                            .setNamespace(namespace)
                            .setTaskToken(ByteString.copyFrom(taskToken))
                            .setIdentity(identity)
                            .build())
                    .getCancelRequested();
            return cancel ? Verdict.CANCELLED : Verdict.LIVE;
        } catch (StatusRuntimeException e) {
            return verdictFor(e.getStatus().getCode());
        } catch (RuntimeException e) {
            return Verdict.UNREACHABLE;
        }
    }

    /** Temporal's answer about an activity it does not know means the activity is gone; the rest is trouble reaching it. */
    static Verdict verdictFor(Status.Code code) {
        switch (code) {
            case NOT_FOUND:
            case INVALID_ARGUMENT:
            case FAILED_PRECONDITION:
                return Verdict.GONE;
            default:
                return Verdict.UNREACHABLE;
        }
    }
}
