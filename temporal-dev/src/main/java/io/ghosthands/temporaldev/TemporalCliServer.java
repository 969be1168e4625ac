package io.ghosthands.temporaldev;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Temporal server on this machine: the official Temporal CLI's {@code temporal server
 * start-dev} as a child process, with its state in a SQLite file (workflows survive a restart) and,
 * optionally, the Temporal Web UI.
 *
 * <p>The child runs in a session of its own ({@code setsid} where there is one) so that a Ctrl-C on
 * the terminal reaches only the JVM, which drains its worker against a Temporal that is still up
 * and then stops the server with {@link #close()}.
 */
public final class TemporalCliServer implements AutoCloseable {

    /** Overrides where the CLI is looked for (a path to the {@code temporal} binary). */
    public static final String BINARY_ENV = "GH_TEMPORAL_CLI";

    /**
     * How to start a dev server.
     *
     * @param binary the {@code temporal} executable
     * @param port the frontend's gRPC port on 127.0.0.1
     * @param uiPort the Web UI's port, or 0 for none ({@code --headless})
     * @param dbFile the SQLite file holding the server's state (created when missing)
     * @param namespaces namespaces to create besides {@code default}
     * @param searchAttributes search attributes to register (name → type, e.g. {@code Keyword}) in
     *     every namespace created at launch
     * @param log where the server's output goes
     */
    public record Options(
            Path binary,
            int port,
            int uiPort,
            Path dbFile,
            List<String> namespaces,
            Map<String, String> searchAttributes,
            Path log) {}

    private final Options options;
    private final Process process;

    private TemporalCliServer(Options options, Process process) {
        this.options = options;
        this.process = process;
    }

    /**
     * The Temporal CLI on this machine: {@code GH_TEMPORAL_CLI}, else {@code temporal} on the PATH;
     * empty when neither exists.
     */
    public static Optional<Path> findBinary() {
        String given = System.getenv(BINARY_ENV);
        if (given != null && !given.isBlank()) {
            Path p = Path.of(given.strip());
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return onPath("temporal");
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts the server and waits until its frontend answers (up to {@code readyTimeoutSeconds});
     * throws, with the end of the server's output, when it does not.
     */
    public static TemporalCliServer start(Options options, int readyTimeoutSeconds) throws IOException {
        Files.createDirectories(options.dbFile().toAbsolutePath().getParent());
        Files.createDirectories(options.log().toAbsolutePath().getParent());
        List<String> command = command(options);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(options.log().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        TemporalCliServer server = new TemporalCliServer(options, process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readyTimeoutSeconds);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException(
                        "temporal server start-dev exited with " + process.exitValue() + ": " + server.logTail());
            }
            if (TemporalDevServer.probe("127.0.0.1", options.port()) == TemporalDevServer.Probe.TEMPORAL) {
                return server;
            }
            if (System.nanoTime() > deadline) {
                server.kill();
                throw new IOException("temporal server start-dev did not answer on 127.0.0.1:" + options.port()
                        + " within " + readyTimeoutSeconds + "s: " + server.logTail());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.kill();
                throw new IOException("interrupted while waiting for the Temporal dev server", e);
            }
        }
    }

    /** The {@code temporal server start-dev} command line for these options. */
    private static List<String> command(Options options) {
        List<String> command = new ArrayList<>();
        onPath("setsid").ifPresent(setsid -> command.add(setsid.toString()));
        command.add(options.binary().toString());
        command.addAll(List.of(
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                String.valueOf(options.port()),
                "--db-filename",
                options.dbFile().toAbsolutePath().toString(),
                "--log-level",
                "warn",
                // a write-ahead log without an fsync per commit: what a committed transaction wrote survives
                // the server process dying (kill -9), only an OS crash may lose the last ones; the default
                // (rollback journal, fsync on every commit) made a burst of jobs wait on the disk
                "--sqlite-pragma",
                "journal_mode=wal",
                "--sqlite-pragma",
                "synchronous=normal",
                // one partition per task queue: with several, a task written to a partition no poller waits
                // on is found only after forwarding, which a single-machine server gains nothing from
                "--dynamic-config-value",
                "matching.numTaskqueueReadPartitions=1",
                "--dynamic-config-value",
                "matching.numTaskqueueWritePartitions=1"));
        if (options.uiPort() > 0) {
            command.addAll(List.of("--ui-port", String.valueOf(options.uiPort())));
        } else {
            command.add("--headless");
        }
        for (String namespace : options.namespaces()) {
            command.addAll(List.of("--namespace", namespace));
        }
        for (Map.Entry<String, String> attribute : new LinkedHashMap<>(options.searchAttributes()).entrySet()) {
            command.addAll(List.of("--search-attribute", attribute.getKey() + "=" + attribute.getValue()));
        }
        return command;
    }

    /** The last lines the server printed (for error messages). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(options.log(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    public Options options() {
        return options;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String address() {
        return "127.0.0.1:" + options.port();
    }

    /** The Web UI's address, or null when it runs headless. */
    public String uiUrl() {
        return options.uiPort() > 0 ? "http://localhost:" + options.uiPort() : null;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the server at once ({@code SIGKILL}): what a crash looks like. Waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server ({@code SIGTERM}, then {@code SIGKILL} after 10 s). */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
