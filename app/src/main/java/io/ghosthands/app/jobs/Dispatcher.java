package io.ghosthands.app.jobs;

import io.ghosthands.activities.store.DatabaseOutage;
import io.ghosthands.activities.store.JobRow;
import io.ghosthands.app.config.GhProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The outbox half of job creation: a job whose workflow could not be started (Temporal down, API
 * crashed between insert and start) stays {@code pending}; this loop starts it again. Starting is
 * idempotent (one workflow id per job), so several API nodes may run it at once. The same goes for
 * the callbacks the API owes ({@link CallbackOutbox}): one whose delivery could not be started is
 * started here.
 */
@Component
@ConditionalOnProperty(prefix = "gh.api", name = "enabled", havingValue = "true", matchIfMissing = true)
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final JobRepository jobs;
    private final WorkflowStarter starter;
    private final CallbackOutbox callbacks;
    private final GhProperties properties;

    public Dispatcher(JobRepository jobs, WorkflowStarter starter, CallbackOutbox callbacks, GhProperties properties) {
        this.jobs = jobs;
        this.starter = starter;
        this.callbacks = callbacks;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${gh.api.dispatch-interval-ms:2000}", initialDelay = 2000)
    public void relayCallbacks() {
        try {
            callbacks.relayOwed(properties.getApi().getRedispatchAfterSeconds());
        } catch (RuntimeException e) {
            skipRound("callback relay", e);
        }
    }

    @Scheduled(fixedDelayString = "${gh.api.dispatch-interval-ms:2000}", initialDelay = 2000)
    public void redispatch() {
        try {
            for (JobRow row : jobs.undispatched(properties.getApi().getRedispatchAfterSeconds(), 100)) {
                boolean started = starter.dispatch(row.uuid(), WorkflowStarter.Dispatch.of(row));
                if (!started) {
                    return; // Temporal still unreachable: try the rest next round
                }
            }
        } catch (RuntimeException e) {
            skipRound("dispatch sweep", e);
        }
    }

    /**
     * A round that met a database outage is simply tried again next round: one line in the log, not
     * a stack trace every two seconds while PostgreSQL restarts. Anything else is a bug and rethrown.
     */
    private static void skipRound(String what, RuntimeException e) {
        if (!DatabaseOutage.is(e)) {
            throw e;
        }
        log.warn("{} skipped, the database is unavailable: {}", what, DatabaseOutage.describe(e));
    }
}
