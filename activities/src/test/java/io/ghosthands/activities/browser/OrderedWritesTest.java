package io.ghosthands.activities.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/**
 * A step's writes while PostgreSQL restarts: a write that cannot get a connection is tried again
 * until it lands (the job's later writes wait behind it, in order), within a patience; other
 * failures are not retried. (The real outage is in PostgresRestartTest and the chaos suite.)
 */
class OrderedWritesTest {

    private static RuntimeException outage() {
        return new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection", new SQLException("Connection to 127.0.0.1:5 refused", "08001"));
    }

    @Test
    void aWriteThatMeetsAnOutageIsTriedAgainAndTheNextOnesWaitBehindIt() {
        OrderedWrites writes = new OrderedWrites(5_000, 20);
        List<String> stored = new CopyOnWriteArrayList<>();
        AtomicInteger tries = new AtomicInteger();
        writes.submit("j", () -> {
            if (tries.incrementAndGet() <= 3) {
                throw outage();
            }
            stored.add("page_loaded");
        });
        writes.submit("j", () -> stored.add("form_filled"));
        writes.flush("j", 10, () -> {});
        assertThat(tries.get()).isEqualTo(4);
        assertThat(stored).containsExactly("page_loaded", "form_filled");
    }

    @Test
    void otherFailuresAreNotRetriedAndAnOutagePastThePatienceIsGivenUp() {
        OrderedWrites writes = new OrderedWrites(200, 20);
        AtomicInteger bad = new AtomicInteger();
        AtomicInteger down = new AtomicInteger();
        List<String> stored = new CopyOnWriteArrayList<>();
        writes.submit("j", () -> {
            bad.incrementAndGet();
            throw new DataIntegrityViolationException("duplicate key");
        });
        writes.submit("j", () -> {
            down.incrementAndGet();
            throw outage();
        });
        writes.submit("j", () -> stored.add("after"));
        writes.flush("j", 10);
        assertThat(bad.get()).isEqualTo(1);
        assertThat(down.get()).isBetween(2, 20);
        assertThat(stored).containsExactly("after");
    }
}
