package io.ghosthands.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.workflows.activity.CallbackActivities;
import io.ghosthands.workflows.payload.Callback;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link CallbackWorkflow} with scripted activities: the delivery job workflows use, for one callback. */
class CallbackWorkflowTest {

    private TestWorkflowEnvironment env;
    private final JobWorkflowTest.RecordingStore store = new JobWorkflowTest.RecordingStore();
    private final Receiver receiver = new Receiver();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker shared = env.newWorker(TaskQueues.SHARED);
        shared.registerWorkflowImplementationFactory(
                CallbackWorkflow.class, () -> new CallbackWorkflowImpl(JobWorkflowTest.SETTINGS));
        shared.registerActivitiesImplementations(store, receiver);
        env.start();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private static Callback cancelled(UUID eventId) {
        return new Callback(
                "job-1",
                "http://receiver/cb?token=t",
                eventId.toString(),
                Map.of("job_id", "job-1", "status", "cancelled", "event_id", eventId.toString()));
    }

    private static WorkflowOptions options(UUID eventId) {
        return WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.forCallback(eventId))
                .setTaskQueue(TaskQueues.SHARED)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build();
    }

    private CallbackWorkflow stub(UUID eventId) {
        return env.getWorkflowClient().newWorkflowStub(CallbackWorkflow.class, options(eventId));
    }

    @Test
    void givenAReceiverThatFailsAtFirst_itShouldRetryUntilItIsDeliveredAndDeliverItOnlyOnce() {
        receiver.failures.set(2);
        UUID eventId = UUID.randomUUID();

        stub(eventId).deliver(cancelled(eventId));

        assertThat(receiver.delivered).containsExactly(eventId.toString());
        assertThat(receiver.attempts.get()).isEqualTo(3);
        assertThat(store.notes).isEmpty();
        // relayed again (a second API node, a lost mark): the id is not reused, nothing is sent again
        // (started as the API's outbox starts it)
        Executable again = () -> env.getWorkflowClient()
                .newUntypedWorkflowStub(CallbackWorkflow.TYPE, options(eventId))
                .start(cancelled(eventId));
        Assertions.assertThrows(WorkflowExecutionAlreadyStarted.class, again);
        env.sleep(Duration.ofSeconds(5));
        assertThat(receiver.delivered).hasSize(1);
        assertThat(receiver.attempts.get()).isEqualTo(3);
    }

    @Test
    void givenAReceiverThatRefusesIt_itShouldGiveUpAndSaySo() {
        receiver.refuse = true;
        UUID eventId = UUID.randomUUID();

        stub(eventId).deliver(cancelled(eventId));

        assertThat(receiver.attempts.get()).isEqualTo(1);
        assertThat(store.notes).singleElement().satisfies(note -> {
            assertThat(note.type()).isEqualTo("callback_abandoned");
            assertThat(note.jobId()).isEqualTo("job-1");
            assertThat(note.metadata())
                    .containsEntry("callback_status", "cancelled")
                    .containsEntry("callback_event_id", eventId.toString());
        });
    }

    /** A callback receiver as an activity: fails the first attempts, or refuses for good. */
    static final class Receiver implements CallbackActivities {
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger attempts = new AtomicInteger();
        final List<String> delivered = new CopyOnWriteArrayList<>();
        volatile boolean refuse;

        @Override
        public void deliver(Callback callback) {
            attempts.incrementAndGet();
            if (refuse) {
                throw ApplicationFailure.newNonRetryableFailure("HTTP 401", FailureTypes.CALLBACK_REJECTED);
            }
            if (failures.getAndDecrement() > 0) {
                throw ApplicationFailure.newFailure("HTTP 503", "callback_http_503");
            }
            delivered.add(callback.eventId());
        }
    }
}
