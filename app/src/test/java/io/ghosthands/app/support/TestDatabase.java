package io.ghosthands.app.support;

import io.ghosthands.app.db.DatabaseLocator;
import io.ghosthands.app.db.DatabaseUrl;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh, migrated database for a test, on the server {@code gh dev} would use (the local
 * PostgreSQL, else the embedded one). Dropped when the JVM exits.
 */
public final class TestDatabase {

    private static DatabaseLocator.Server server;

    private final String name;
    private final DatabaseUrl url;
    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    private TestDatabase(String name, DatabaseUrl url) {
        this.name = name;
        this.url = url;
        dataSource.setUrl(url.jdbcUrl());
        if (url.user() != null) {
            dataSource.setUser(url.user());
        }
        if (url.password() != null) {
            dataSource.setPassword(url.password());
        }
    }

    /** A new database with GhostHands' migrations applied. */
    public static TestDatabase create(String purpose) {
        TestDatabase db = createEmpty(purpose);
        Flyway.configure()
                .dataSource(db.dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return db;
    }

    /** A new empty database (the application migrates it when it starts). */
    public static synchronized TestDatabase createEmpty(String purpose) {
        if (server == null) {
            server = DatabaseLocator.localOrEmbedded(System.getenv());
            DatabaseLocator.Server s = server;
            TestShutdown.at(TestShutdown.Phase.DATABASE_SERVER, s::close);
        }
        String name = "gh_test_" + purpose + "_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
        server.ensureDatabase(name);
        DatabaseLocator.Server s = server;
        TestShutdown.at(TestShutdown.Phase.DATABASES, () -> s.dropDatabase(name));
        return new TestDatabase(name, server.database(name));
    }

    public DatabaseUrl url() {
        return url;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String name() {
        return name;
    }
}
