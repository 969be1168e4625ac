package io.ghosthands.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.RealTemporal;
import io.ghosthands.app.support.TestTemporal;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * A worker that dies hard must not strand the workflows it last ran. Against the embedded dev
 * server a workflow kept sticky to a dead worker waits on that worker's sticky queue for good (the
 * server never moves it back), so {@link StickyWork} turns stickiness off there; the control run
 * shows the stall the setting avoids.
 */
class StickyWorkTest {

    private static final String QUEUE = "sticky-test";

    @WorkflowInterface
    public interface WaitForGo {
        @WorkflowMethod
        String run();

        @SignalMethod
        void go();
    }

    public static class WaitForGoImpl implements WaitForGo {
        private boolean go;

        @Override
        public String run() {
            Workflow.await(() -> go);
            return "done";
        }

        @Override
        public void go() {
            go = true;
        }
    }

    @Test
    void theEmbeddedServerIsRecognisedAndStickinessIsOff() {
        try (Connection c = new Connection()) {
            assertThat(StickyWork.scheduleToStartFor(c.client)).isEqualTo(Duration.ZERO);
        }
    }

    @Test
    void aWorkflowWhoseWorkerDiedHardFinishesOnAnotherWorker() throws Exception {
        try (Connection c = new Connection()) {
            CompletableFuture<String> result = runAcrossADeadWorker(c, StickyWork.scheduleToStartFor(c.client));
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("done");
        }
    }

    @Test
    void controlWithStickinessOnTheWorkflowIsStrandedOnTheDeadWorker() throws Exception {
        try (Connection c = new Connection()) {
            CompletableFuture<String> result = runAcrossADeadWorker(c, StickyWork.CLUSTER_TIMEOUT);
            Assertions.assertThrows(TimeoutException.class, () -> result.get(12, TimeUnit.SECONDS));
        }
    }

    @Test
    void onARealServerStickinessStaysOnAndADeadWorkersWorkflowFinishesOnAnother() throws Exception {
        try (RealTemporal real = RealTemporal.start();
                Connection c = new Connection(real.address(), "default")) {
            Duration sticky = StickyWork.scheduleToStartFor(c.client);
            assertThat(sticky).isEqualTo(StickyWork.CLUSTER_TIMEOUT);
            // the server moves the task off the dead worker's sticky queue after the timeout
            CompletableFuture<String> result = runAcrossADeadWorker(c, sticky);
            assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo("done");
        }
    }

    /**
     * Worker A runs the workflow's first task and dies without a goodbye (its connection cut); worker
     * B then serves the queue, and the workflow is signalled.
     */
    private static CompletableFuture<String> runAcrossADeadWorker(Connection c, Duration sticky) throws Exception {
        WorkerOptions options = WorkerOptions.newBuilder()
                .setStickyQueueScheduleToStartTimeout(sticky)
                .build();
        WorkflowServiceStubs doomedStubs = c.stubs();
        WorkerFactory doomed = WorkerFactory.newInstance(WorkflowClient.newInstance(doomedStubs, c.clientOptions));
        doomed.newWorker(QUEUE, options).registerWorkflowImplementationTypes(WaitForGoImpl.class);
        doomed.start();

        String id = "sticky-" + UUID.randomUUID();
        WaitForGo workflow = c.client.newWorkflowStub(
                WaitForGo.class,
                WorkflowOptions.newBuilder()
                        .setTaskQueue(QUEUE)
                        .setWorkflowId(id)
                        .build());
        WorkflowClient.start(workflow::run);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (c.client.fetchHistory(id).getEvents().stream()
                .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)) {
            assertThat(System.nanoTime()).as("worker A ran the first task").isLessThan(until);
            Thread.sleep(20);
        }
        doomedStubs.shutdownNow(); // like kill -9: no goodbye reaches the server
        doomed.shutdownNow();

        c.survivor = WorkerFactory.newInstance(c.client);
        c.survivor.newWorker(QUEUE, options).registerWorkflowImplementationTypes(WaitForGoImpl.class);
        c.survivor.start();
        c.client.newWorkflowStub(WaitForGo.class, id).go();
        return WorkflowStub.fromTyped(c.client.newWorkflowStub(WaitForGo.class, id))
                .getResultAsync(String.class);
    }

    /** A client on its own namespace of the test JVM's embedded server. */
    private static final class Connection implements AutoCloseable {
        final String address;
        final WorkflowClientOptions clientOptions;
        final WorkflowServiceStubs main;
        final WorkflowClient client;
        WorkerFactory survivor;

        Connection() {
            this(TestTemporal.address(), "sticky-" + UUID.randomUUID());
        }

        Connection(String address, String namespace) {
            this.address = address;
            clientOptions =
                    WorkflowClientOptions.newBuilder().setNamespace(namespace).build();
            main = stubs();
            client = WorkflowClient.newInstance(main, clientOptions);
        }

        WorkflowServiceStubs stubs() {
            return WorkflowServiceStubs.newServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
        }

        @Override
        public void close() {
            if (survivor != null) {
                survivor.shutdownNow();
            }
            main.shutdownNow();
        }
    }
}
