package io.ghosthands.app.support;

import io.ghosthands.app.db.DatabaseLocator;
import io.ghosthands.app.db.DatabaseUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL server of its own for a test that stops, crashes and restarts it: the machine's
 * {@code initdb}/{@code pg_ctl} (Debian's {@code /usr/lib/postgresql/<n>/bin}, or {@code GH_PG_BIN}) on a
 * free loopback port with its data in a new temp directory, trust authentication, user
 * {@code postgres}. Never the shared server on 5432, which other tests and people use. Run as root
 * (PostgreSQL refuses to), its commands run as the {@code postgres} OS user.
 */
public final class PrivatePostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final int port;
    private final boolean asPostgresUser;
    private final AtomicBoolean closed = new AtomicBoolean();

    private PrivatePostgres(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The PostgreSQL binaries to use, if the machine has them. */
    public static Optional<Path> binaries() {
        String env = System.getenv("GH_PG_BIN");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env)).filter(p -> Files.isExecutable(p.resolve("pg_ctl")));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("pg_ctl")) && Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(
                            b -> versionOf(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** initdb in a new temp directory and start on a free port; a database {@code database} is created. */
    public static PrivatePostgres start(String database) {
        Path bin = binaries()
                .orElseThrow(() -> new IllegalStateException(
                        "no PostgreSQL binaries (initdb, pg_ctl) in /usr/lib/postgresql/*/bin; set GH_PG_BIN"));
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("gh-private-pg-");
            PrivatePostgres pg = new PrivatePostgres(bin, dir, TestTemporal.freePort(), root);
            if (root) {
                pg.run(Duration.ofSeconds(10), false, "chown", "postgres:postgres", dir.toString());
            }
            pg.run(
                    Duration.ofSeconds(120),
                    true,
                    bin.resolve("initdb").toString(),
                    "-D",
                    pg.data.toString(),
                    "-U",
                    "postgres",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--no-sync",
                    "--locale=C");
            // an interrupted run (Ctrl-C, a killed test JVM short of -9) leaves no server behind
            Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "private-postgres-stop"));
            pg.start();
            pg.server().ensureDatabase(database);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public DatabaseLocator.Server server() {
        return new DatabaseLocator.Server("127.0.0.1", port, "postgres", null, null);
    }

    public DatabaseUrl url(String database) {
        return server().database(database);
    }

    /** {@code postgresql://postgres@127.0.0.1:port/database}, as {@code DATABASE_URL} for a process. */
    public String databaseUrl(String database) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
    }

    /** A data source opening a new connection per use (so it works again as soon as the server does). */
    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url(database).jdbcUrl());
        ds.setUser("postgres");
        ds.setConnectTimeout(5);
        return ds;
    }

    /** Starts the server (again) on the same port and data directory and waits until it accepts connections. */
    public void start() {
        // a crashed postmaster's children exit on their own within moments; until they have, its shared
        // memory is still in use and a new postmaster refuses to start: try again for a while
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                run(
                        Duration.ofSeconds(90),
                        true,
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data.toString(),
                        "-w",
                        "-t",
                        "60",
                        "-l",
                        dir.resolve("postgres.log").toString(),
                        "-o",
                        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c max_connections=100",
                        "start");
                return;
            } catch (IllegalStateException e) {
                if (System.nanoTime() > until) {
                    throw new IllegalStateException(e.getMessage() + "\n" + logTail(), e);
                }
                sleep(1000);
            }
        }
    }

    /** {@code pg_ctl stop -m fast}: clients are disconnected, the server shuts down cleanly. */
    public void stopFast() {
        run(
                Duration.ofSeconds(90),
                true,
                bin.resolve("pg_ctl").toString(),
                "-D",
                data.toString(),
                "-w",
                "-t",
                "60",
                "-m",
                "fast",
                "stop");
    }

    /** {@code kill -9} of the postmaster: a crash; the next start runs crash recovery. */
    public void kill9() {
        long pid = postmasterPid();
        ProcessHandle handle =
                ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        handle.destroyForcibly();
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("postmaster " + pid + " survived SIGKILL", e);
        }
    }

    private long postmasterPid() {
        try {
            return Long.parseLong(
                    Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("no postmaster.pid: is the server running?", e);
        }
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("postgres.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server (immediate shutdown, or whatever is left of it) and deletes its directory. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                run(
                        Duration.ofSeconds(60),
                        true,
                        bin.resolve("pg_ctl").toString(),
                        "-D",
                        data.toString(),
                        "-w",
                        "-m",
                        "immediate",
                        "stop");
            }
        } catch (RuntimeException e) {
            try {
                ProcessHandle.of(postmasterPid()).ifPresent(ProcessHandle::destroyForcibly);
            } catch (RuntimeException ignored) {
                // already gone
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left in the temp folder
        }
    }

    private void run(Duration timeout, boolean asPostgres, String... command) {
        List<String> cmd = new ArrayList<>();
        if (asPostgres && asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        try {
            Path out = Files.createTempFile("gh-pg-cmd-", ".log");
            try {
                Process p = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .directory(dir.toFile())
                        .start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", cmd) + " did not end within " + timeout);
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(
                            String.join(" ", cmd) + " exited " + p.exitValue() + ": " + Files.readString(out));
                }
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
