package io.ghosthands.app.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the PostgreSQL to use, by one rule shared by {@code gh dev}, {@code gh api}, {@code gh
 * worker} and the tests:
 * <ol>
 *   <li>{@code DATABASE_URL} when set, used as it is;
 *   <li>else the local server on 127.0.0.1:5432 (user {@code PGUSER}, else {@code postgres}, else the
 *       OS user; password {@code PGPASSWORD}), database {@code ghosthands} created if missing;
 *   <li>else an embedded PostgreSQL on 127.0.0.1:{@value #EMBEDDED_PORT} with its data under
 *       {@code ~/.ghosthands/postgres}: reused if another GhostHands process already runs it, started
 *       otherwise.
 * </ol>
 */
public final class DatabaseLocator {

    private static final Logger log = LoggerFactory.getLogger(DatabaseLocator.class);

    public static final String LOCAL_HOST = "127.0.0.1";
    public static final int LOCAL_PORT = 5432;
    public static final int EMBEDDED_PORT = 54329;
    public static final String DEFAULT_DATABASE = "ghosthands";

    private DatabaseLocator() {}

    /** A reachable server and how to log in; {@code embedded} is set when this process started it. */
    public record Server(String host, int port, String user, String password, EmbeddedPostgres embedded)
            implements AutoCloseable {

        public DatabaseUrl database(String name) {
            return new DatabaseUrl("jdbc:postgresql://" + host + ":" + port + "/" + name, user, password);
        }

        /** Creates the database unless it exists. */
        public void ensureDatabase(String name) {
            try (Connection c = connect("postgres");
                    PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE " + quoteIdent(name));
                } catch (SQLException e) {
                    if (!"42P04".equals(e.getSQLState())) { // another process created it meanwhile
                        throw e;
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
            }
        }

        /** Drops the database, disconnecting whoever is still on it. */
        public void dropDatabase(String name) {
            try (Connection c = connect("postgres");
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + quoteIdent(name) + " WITH (FORCE)");
            } catch (SQLException e) {
                log.warn("could not drop database {}: {}", name, e.getMessage());
            }
        }

        Connection connect(String database) throws SQLException {
            Properties props = new Properties();
            if (user != null) {
                props.setProperty("user", user);
            }
            if (password != null) {
                props.setProperty("password", password);
            }
            props.setProperty("connectTimeout", "5");
            return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, props);
        }

        public String describe() {
            return (embedded != null ? "embedded PostgreSQL " : "PostgreSQL ") + host + ":" + port + " as " + user;
        }

        @Override
        public void close() {
            if (embedded != null) {
                try {
                    embedded.close();
                } catch (IOException e) {
                    log.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
                }
            }
        }
    }

    /**
     * Where the local-or-embedded rule lands (steps 2 and 3 above), starting the embedded server if
     * needed. The caller closes the returned server when it is done with it.
     */
    public static Server localOrEmbedded(Map<String, String> env) {
        Server local = tryServer(LOCAL_HOST, LOCAL_PORT, env);
        if (local != null) {
            return local;
        }
        Server running = tryServer(LOCAL_HOST, EMBEDDED_PORT, Map.of("PGUSER", "postgres"));
        if (running != null) {
            return running;
        }
        return startEmbedded(env);
    }

    /**
     * Logs in to a server listening at host:port, or returns null when nothing listens there. A server
     * that listens but refuses every user tried is an error: silently using another database would be
     * worse.
     */
    static Server tryServer(String host, int port, Map<String, String> env) {
        if (!listening(host, port)) {
            return null;
        }
        List<String> failures = new ArrayList<>();
        for (String user : candidateUsers(env)) {
            Server server = new Server(host, port, user, env.get("PGPASSWORD"), null);
            try (Connection c = server.connect("postgres")) {
                return server;
            } catch (SQLException e) {
                failures.add(user + ": " + e.getMessage());
            }
        }
        throw new IllegalStateException(
                "PostgreSQL at " + host + ":" + port + " refused every user tried (" + String.join("; ", failures)
                        + "). Set PGUSER/PGPASSWORD, or DATABASE_URL=postgresql://user:password@host:port/db");
    }

    private static Set<String> candidateUsers(Map<String, String> env) {
        Set<String> users = new LinkedHashSet<>();
        String pgUser = env.get("PGUSER");
        if (pgUser != null && !pgUser.isBlank()) {
            users.add(pgUser);
            return users;
        }
        users.add("postgres");
        String osUser = System.getProperty("user.name");
        if (osUser != null && !osUser.isBlank()) {
            users.add(osUser);
        }
        return users;
    }

    static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Server startEmbedded(Map<String, String> env) {
        Path dataDir = Path.of(System.getProperty("user.home"), ".ghosthands", "postgres");
        log.info(
                "No PostgreSQL on {}:{}; starting an embedded one with its data in {}",
                LOCAL_HOST,
                LOCAL_PORT,
                dataDir);
        try {
            Files.createDirectories(dataDir.getParent());
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(EMBEDDED_PORT)
                    // closed by whoever started it, after the application that uses it
                    .setRegisterShutdownHook(false)
                    .start();
            return new Server(LOCAL_HOST, EMBEDDED_PORT, "postgres", null, pg);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "No PostgreSQL answers on " + LOCAL_HOST + ":" + LOCAL_PORT
                            + " and the embedded one could not start (" + e.getMessage()
                            + "). Start PostgreSQL or set DATABASE_URL.",
                    e);
        }
    }

    private static String quoteIdent(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
