package io.ghosthands.temporaldev;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.inprocess.InProcessChannelBuilder;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TemporalDevServerTest {

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    @Test
    void probeTellsNothingAServerAndSomethingElseApart() throws IOException {
        int port = freePort();
        assertThat(TemporalDevServer.probe("127.0.0.1", port)).isEqualTo(TemporalDevServer.Probe.NOTHING);

        try (TemporalDevServer server = TemporalDevServer.start(port)) {
            assertThat(TemporalDevServer.probe("127.0.0.1", port)).isEqualTo(TemporalDevServer.Probe.TEMPORAL);
        }

        try (ServerSocket notTemporal = new ServerSocket(0)) {
            // accepts TCP but never says a word: not Temporal once patience runs out (TemporalProbeTest)
            assertThat(TemporalDevServer.probe("127.0.0.1", notTemporal.getLocalPort(), Duration.ofSeconds(3)))
                    .isEqualTo(TemporalDevServer.Probe.OTHER);
        }
    }

    @WorkflowInterface
    public interface Sleeper {
        @WorkflowMethod
        long sleep(long millis);
    }

    public static class SleeperImpl implements Sleeper {
        @Override
        public long sleep(long millis) {
            Workflow.sleep(Duration.ofMillis(millis));
            return millis;
        }
    }

    @ActivityInterface
    public interface Echo {
        String echo(String s);
    }

    public static class EchoImpl implements Echo {
        @Override
        public String echo(String s) {
            return s;
        }
    }

    @WorkflowInterface
    public interface Caller {
        @WorkflowMethod
        String call(String s);
    }

    public static class CallerImpl implements Caller {
        @Override
        public String call(String s) {
            Echo echo = Workflow.newActivityStub(
                    Echo.class,
                    ActivityOptions.newBuilder()
                            .setStartToCloseTimeout(Duration.ofSeconds(10))
                            .build());
            return echo.echo(echo.echo(s));
        }
    }

    @Test
    void theServerDoesNotKeepARecordOfEveryLockItEverTook() throws Exception {
        int port = freePort();
        try (TemporalDevServer server = TemporalDevServer.start(port)) {
            LockEventLog log = server.lockEvents();
            assertThat(log).as("installed in this SDK's test server").isNotNull();
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setChannel(InProcessChannelBuilder.forName(server.inProcessName())
                            .build())
                    .build());
            WorkflowClient client = WorkflowClient.newInstance(stubs);
            WorkerFactory factory = WorkerFactory.newInstance(client);
            var worker = factory.newWorker("locks");
            worker.registerWorkflowImplementationTypes(CallerImpl.class);
            worker.registerActivitiesImplementations(new EchoImpl());
            factory.start();
            try {
                for (int i = 0; i < 100; i++) {
                    Caller caller = client.newWorkflowStub(
                            Caller.class,
                            WorkflowOptions.newBuilder()
                                    .setTaskQueue("locks")
                                    .setWorkflowId("call-" + i)
                                    .build());
                    assertThat(caller.call("x" + i)).isEqualTo("x" + i);
                }
                // every activity schedule and workflow-task completion recorded an event the server never
                // removes (it kept them all in a list searched on every update); here they are let go
                assertThat(log.unlocks()).isGreaterThanOrEqualTo(300);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (log.size() > 20 && System.nanoTime() < deadline) {
                    System.gc();
                    Thread.sleep(50);
                }
                assertThat(log.size()).isLessThanOrEqualTo(20);
            } finally {
                factory.shutdownNow();
                stubs.shutdownNow();
            }
        }
    }

    @Test
    void timersRunOnTheWallClock() throws IOException {
        int port = freePort();
        try (TemporalDevServer server = TemporalDevServer.start(port)) {
            WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                    .setTarget("127.0.0.1:" + port)
                    .build());
            WorkflowClient client = WorkflowClient.newInstance(stubs);
            WorkerFactory factory = WorkerFactory.newInstance(client);
            factory.newWorker("timers").registerWorkflowImplementationTypes(SleeperImpl.class);
            factory.start();
            try {
                Sleeper sleeper = client.newWorkflowStub(
                        Sleeper.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue("timers")
                                .setWorkflowId("sleep-1")
                                .build());
                long t0 = System.nanoTime();
                sleeper.sleep(1500);
                // a time-skipping server would fire the timer as soon as it is idle
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
            } finally {
                factory.shutdownNow();
                stubs.shutdownNow();
            }
        }
    }
}
