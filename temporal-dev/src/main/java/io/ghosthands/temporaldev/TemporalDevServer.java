package io.ghosthands.temporaldev;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * The embedded Temporal for a single machine: the Java SDK's test server listening on a TCP port, in
 * real time (no time skipping), with everything in memory.
 *
 * <p>It implements start, signal, query, update, cancel, terminate, describe, history, timers and
 * per-queue routing, which is all GhostHands uses. It does not implement visibility queries
 * ({@code ListWorkflowExecutions}); GhostHands lists jobs from its Postgres mirror instead. It binds
 * to all interfaces and forgets every workflow when it stops, so it is for development and tests; a
 * real cluster ({@code temporal server start-dev}, a self-hosted cluster or Temporal Cloud) is what
 * {@code TEMPORAL_ADDRESS} points at in production.
 */
public final class TemporalDevServer implements AutoCloseable {

  private final TestServicesStarter services;
  private final Server tcp;
  private final Server inProcess;
  private final String inProcessName;
  private final int port;

  private TemporalDevServer(TestServicesStarter services, Server tcp, Server inProcess, String inProcessName, int port) {
    this.services = services;
    this.tcp = tcp;
    this.inProcess = inProcess;
    this.inProcessName = inProcessName;
    this.port = port;
  }

  /**
   * Starts a server on {@code port}; fails if the port is taken. The same server also answers
   * in-process under {@link #inProcessName()}: clients in this JVM (the dev stack's API and worker)
   * reach it without TCP, HTTP/2 framing or copying messages, which is most of what a workflow
   * start costs besides the server's own work.
   */
  public static TemporalDevServer start(int port) {
    // true = time skipping *locked*: timers run on the wall clock like a real cluster. (With
    // skipping on, the server jumps its clock whenever it is idle: human-in-the-loop timeouts would
    // fire at once and the SDK would see absurd durations.)
    TestServicesStarter services = new TestServicesStarter(true, 0);
    LockEventLog.install(services);
    Server tcp = null;
    try {
      ServerBuilder<?> tcpBuilder = Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create());
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), tcpBuilder);
      tcp = tcpBuilder.build().start();
      String name = "gh-temporal-dev-" + port + "-" + java.util.UUID.randomUUID();
      ServerBuilder<?> inProcessBuilder = InProcessServerBuilder.forName(name);
      GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), inProcessBuilder);
      Server inProcess = inProcessBuilder.build().start();
      return new TemporalDevServer(services, tcp, inProcess, name, port);
    } catch (IOException | RuntimeException e) {
      if (tcp != null) {
        tcp.shutdownNow();
      }
      services.close();
      throw new IllegalStateException("Temporal dev server could not listen on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** The in-process name this server answers under ({@code io.grpc.inprocess.InProcessChannelBuilder.forName}). */
  public String inProcessName() {
    return inProcessName;
  }

  /**
   * What listens at {@code host:port}: nothing, a Temporal frontend, or something else. Used to
   * reuse a Temporal that already runs there instead of failing on a taken port.
   */
  public static Probe probe(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
    } catch (IOException e) {
      return Probe.NOTHING;
    }
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
    try {
      WorkflowServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(3, TimeUnit.SECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return Probe.TEMPORAL;
    } catch (RuntimeException e) {
      return Probe.OTHER;
    } finally {
      channel.shutdownNow();
    }
  }

  /** What {@link #probe} found. */
  public enum Probe {
    NOTHING,
    TEMPORAL,
    OTHER
  }

  /** The server's record of time-skipping locks, if {@link LockEventLog} could be installed. For tests. */
  LockEventLog lockEvents() throws ReflectiveOperationException {
    return LockEventLog.of(services);
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    inProcess.shutdownNow();
    tcp.shutdownNow();
    services.close();
  }

  /** {@code java -cp … io.ghosthands.temporaldev.TemporalDevServer [port]}: runs until killed. */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 7233;
    TemporalDevServer server = start(port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "temporal-dev-stop"));
    System.out.println("Temporal dev server listening on 0.0.0.0:" + port);
    Thread.currentThread().join();
  }
}
