package io.ghosthands.temporaldev;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
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

    private TemporalDevServer(
            TestServicesStarter services, Server tcp, Server inProcess, String inProcessName, int port) {
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
            String name = "gh-temporal-dev-" + port + "-" + UUID.randomUUID();
            ServerBuilder<?> inProcessBuilder = InProcessServerBuilder.forName(name);
            GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), inProcessBuilder);
            Server inProcess = inProcessBuilder.build().start();
            return new TemporalDevServer(services, tcp, inProcess, name, port);
        } catch (IOException | RuntimeException e) {
            if (tcp != null) {
                tcp.shutdownNow();
            }
            services.close();
            throw new IllegalStateException(
                    "Temporal dev server could not listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The in-process name this server answers under ({@code io.grpc.inprocess.InProcessChannelBuilder.forName}). */
    public String inProcessName() {
        return inProcessName;
    }

    /** How long {@link #probe(String, int)} waits for a Temporal that is merely slow (a loaded machine). */
    public static final Duration PROBE_PATIENCE = Duration.ofSeconds(40);

    /** Deadlines of the successive {@code GetSystemInfo} calls: a slow answer gets a longer one. */
    private static final List<Duration> PROBE_DEADLINES =
            List.of(Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofSeconds(30));

    /**
     * What listens at {@code host:port}: nothing, a Temporal frontend, or something else. Used to
     * reuse a Temporal that already runs there instead of failing on a taken port. Waits up to
     * {@link #PROBE_PATIENCE} for a Temporal that is slow to answer.
     */
    public static Probe probe(String host, int port) {
        return probe(host, port, PROBE_PATIENCE);
    }

    /**
     * As {@link #probe(String, int)}, telling "slow" from "not Temporal" within {@code patience}:
     *
     * <ol>
     *   <li>nothing accepts a connection: {@link Probe#NOTHING};
     *   <li>it answers the HTTP/2 connection preface with something other than a SETTINGS frame (an
     *       HTTP/1 server, a database, TLS): {@link Probe#OTHER}, at once;
     *   <li>Temporal's {@code GetSystemInfo} answers: {@link Probe#TEMPORAL}; a gRPC server without
     *       Temporal's service ({@code UNIMPLEMENTED}): {@link Probe#OTHER}; no answer within the
     *       call's deadline: asked again with a longer one (3 s, 10 s, 30 s), as long as patience
     *       lasts;
     *   <li>out of patience: {@link Probe#SLOW} if it spoke HTTP/2 (a gRPC server too busy to answer
     *       — under load a Temporal is that), else {@link Probe#OTHER} (it never said a word).
     * </ol>
     */
    public static Probe probe(String host, int port, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        Speech speech = http2(host, port, min(Duration.ofSeconds(2), patience));
        if (speech == Speech.NOTHING) {
            return Probe.NOTHING;
        }
        if (speech == Speech.NOT_HTTP2) {
            return Probe.OTHER;
        }
        ManagedChannel channel =
                NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            for (int attempt = 0; ; attempt++) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Duration call =
                        min(PROBE_DEADLINES.get(Math.min(attempt, PROBE_DEADLINES.size() - 1)), Duration.ofNanos(left));
                try {
                    WorkflowServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(call.toMillis(), TimeUnit.MILLISECONDS)
                            .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
                    return Probe.TEMPORAL;
                } catch (StatusRuntimeException e) {
                    Status.Code code = e.getStatus().getCode();
                    if (code == Status.Code.UNIMPLEMENTED) {
                        return Probe.OTHER; // gRPC, but not Temporal's service
                    }
                    if (code == Status.Code.UNAVAILABLE) {
                        if (speech != Speech.HTTP2) {
                            return Probe.OTHER; // it never spoke HTTP/2, and gRPC could not talk to it
                        }
                        sleep(Math.min(200, TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime()))));
                    } else if (code != Status.Code.DEADLINE_EXCEEDED) {
                        // answered, as a gRPC server, with an error of its own: Temporal would not
                        return Probe.OTHER;
                    }
                }
                if (speech == Speech.SILENT) {
                    // a gRPC attempt may have made it speak now: look again
                    speech = http2(
                            host,
                            port,
                            min(Duration.ofSeconds(1), Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))));
                    if (speech == Speech.NOT_HTTP2) {
                        return Probe.OTHER;
                    }
                    if (speech == Speech.NOTHING) {
                        // it took a connection a moment ago: a listener whose backlog is full (one that never
                        // accepts) refuses or drops new ones, and is still not nothing
                        speech = Speech.SILENT;
                    }
                }
            }
        } finally {
            channel.shutdownNow();
        }
        return speech == Speech.HTTP2 ? Probe.SLOW : Probe.OTHER;
    }

    /** What {@link #probe} found. */
    public enum Probe {
        NOTHING,
        TEMPORAL,
        /** An HTTP/2 (gRPC) server that did not answer Temporal's call in time: most likely a busy Temporal. */
        SLOW,
        OTHER
    }

    /** What a listener said to the HTTP/2 connection preface. */
    enum Speech {
        NOTHING,
        HTTP2,
        NOT_HTTP2,
        SILENT
    }

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** An empty SETTINGS frame: length 0, type 4, no flags, stream 0. */
    private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

    /**
     * The protocol check: sends HTTP/2's client preface and reads the first frame header back. An
     * HTTP/2 server (every gRPC server, Temporal's frontend) answers with a SETTINGS frame on stream 0
     * before anything else, without waiting for its application threads.
     */
    static Speech http2(String host, int port, Duration wait) {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, wait.toMillis()));
        try (Socket socket = new Socket()) {
            try {
                socket.connect(new InetSocketAddress(host, port), millis);
            } catch (IOException e) {
                return Speech.NOTHING; // refused, unreachable, or no answer to the connection at all
            }
            socket.setSoTimeout(millis);
            socket.getOutputStream().write(PREFACE);
            socket.getOutputStream().write(EMPTY_SETTINGS);
            socket.getOutputStream().flush();
            byte[] header = socket.getInputStream().readNBytes(9);
            boolean settings = header.length == 9
                    && header[3] == 4
                    && (header[5] & 0x7f) == 0
                    && header[6] == 0
                    && header[7] == 0
                    && header[8] == 0;
            return settings ? Speech.HTTP2 : Speech.NOT_HTTP2;
        } catch (SocketTimeoutException e) {
            return Speech.SILENT;
        } catch (IOException e) {
            return Speech.NOT_HTTP2; // reset or closed on the preface
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
