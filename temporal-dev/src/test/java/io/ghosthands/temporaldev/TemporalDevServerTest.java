package io.ghosthands.temporaldev;

import static org.assertj.core.api.Assertions.assertThat;

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
      // accepts TCP but never speaks gRPC
      assertThat(TemporalDevServer.probe("127.0.0.1", notTemporal.getLocalPort()))
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

  @Test
  void timersRunOnTheWallClock() throws IOException {
    int port = freePort();
    try (TemporalDevServer server = TemporalDevServer.start(port)) {
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
      WorkflowClient client = WorkflowClient.newInstance(stubs);
      WorkerFactory factory = WorkerFactory.newInstance(client);
      factory.newWorker("timers").registerWorkflowImplementationTypes(SleeperImpl.class);
      factory.start();
      try {
        Sleeper sleeper = client.newWorkflowStub(
            Sleeper.class, WorkflowOptions.newBuilder().setTaskQueue("timers").setWorkflowId("sleep-1").build());
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
