package io.ghosthands.activities.store;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code gh_callback_outbox} (migration V009): the callbacks the API owes and whether each went out. */
public class CallbackOutboxStore {

    /** An owed callback not yet handed to Temporal: its job, where it goes and its body (JSON). */
    public record OwedCallback(String jobId, String callbackUrl, String bodyJson) {}

    private final JdbcTemplate jdbc;

    public CallbackOutboxStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Writes an owed callback. Caller holds the transaction of the change that owes it. */
    public void owe(UUID eventId, String jobId, String callbackUrl, String bodyJson) {
        jdbc.update(
                "INSERT INTO gh_callback_outbox (event_id, job_id, callback_url, body) VALUES (?, ?::uuid, ?, ?::jsonb)",
                eventId,
                jobId,
                callbackUrl,
                bodyJson);
    }

    /** The callback if it is still owed, else empty (relayed already, or none such). */
    public Optional<OwedCallback> unrelayed(UUID eventId) {
        return jdbc
                .query(
                        "SELECT job_id::text AS job_id, callback_url, body::text AS body FROM gh_callback_outbox"
                                + " WHERE event_id = ? AND relayed_at IS NULL",
                        (rs, n) -> new OwedCallback(rs.getString(1), rs.getString(2), rs.getString(3)),
                        eventId)
                .stream()
                .findFirst();
    }

    public void markRelayed(UUID eventId) {
        jdbc.update("UPDATE gh_callback_outbox SET relayed_at = now() WHERE event_id = ?", eventId);
    }

    /** Callbacks owed for over {@code olderThanSeconds}, oldest first, at most 100. */
    public List<UUID> owedFor(int olderThanSeconds) {
        return jdbc.queryForList(
                "SELECT event_id FROM gh_callback_outbox WHERE relayed_at IS NULL"
                        + " AND created_at < now() - make_interval(secs => ?) ORDER BY created_at LIMIT 100",
                UUID.class,
                olderThanSeconds);
    }
}
