package io.ghosthands.activities.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;

class DatabaseOutageTest {

    @Test
    void connectionFailuresShutdownsAndPoolTimeoutsAreOutages() {
        assertThat(DatabaseOutage.is(new CannotGetJdbcConnectionException("no connection")))
                .isTrue();
        assertThat(DatabaseOutage.is(new CannotCreateTransactionException(
                        "no connection for the transaction",
                        new SQLTransientConnectionException("HikariPool-1 - Connection is not available"))))
                .isTrue();
        // a statement cut off by the server's shutdown, as the driver reports it, however wrapped
        assertThat(DatabaseOutage.is(new UncategorizedSQLException(
                        "update",
                        "UPDATE x",
                        new SQLException("terminating connection due to administrator command", "57P01"))))
                .isTrue();
        assertThat(DatabaseOutage.is(
                        new RuntimeException(new SQLException("the database system is starting up", "57P03"))))
                .isTrue();
        assertThat(DatabaseOutage.is(new RuntimeException(new SQLException("An I/O error occurred", "08006"))))
                .isTrue();
    }

    @Test
    void otherDatabaseErrorsAreNot() {
        assertThat(DatabaseOutage.is(new DuplicateKeyException("duplicate key")))
                .isFalse();
        assertThat(DatabaseOutage.is(new DataIntegrityViolationException("null value")))
                .isFalse();
        assertThat(DatabaseOutage.is(new RuntimeException(new SQLException("syntax error", "42601"))))
                .isFalse();
        assertThat(DatabaseOutage.is(new IllegalStateException("boom"))).isFalse();
    }
}
