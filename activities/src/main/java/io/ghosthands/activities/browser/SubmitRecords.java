package io.ghosthands.activities.browser;

import io.ghosthands.activities.store.DatabaseOutage;
import io.ghosthands.activities.store.JobStore;
import io.ghosthands.workflows.ErrorCode;
import io.ghosthands.workflows.payload.StepResult;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The final submit's safeguards: Temporal asked whether the workflow still wants it, a committed
 * submit record before the click (taken back when the click does not happen), and the confirmation
 * of an application that went out, stored however long the database is away (within bounds).
 */
final class SubmitRecords {

    private static final Logger log = LoggerFactory.getLogger(SubmitRecords.class);

    /** How long the record made before a final submit waits for PostgreSQL to be back. */
    static final long MARK_PATIENCE_MS = 60_000;

    /** How long a submitted application's confirmation is retried while PostgreSQL is away. */
    static final long RECORD_PATIENCE_MS = 180_000;

    /** How long a submit waits for Temporal to answer whether it is still wanted. */
    static final long SUBMIT_CHECK_PATIENCE_MS = 10_000;

    private final JobStore jobs;
    private final String workerId;
    private final SubmitCheck submitCheck;
    private final StepWrites writes;
    private final DatabasePatience db;

    SubmitRecords(JobStore jobs, String workerId, SubmitCheck submitCheck, StepWrites writes, DatabasePatience db) {
        this.jobs = jobs;
        this.workerId = workerId;
        this.submitCheck = submitCheck;
        this.writes = writes;
        this.db = db;
    }

    /** A submit record made before a final submit: its event, whether this step set it, whether it had to wait. */
    record Mark(String eventId, boolean fresh, boolean waited) {}

    /**
     * Everything that comes before the click of a complete form, on the lane: nothing goes out for a
     * workflow that is gone or cancelled (Temporal restarted, the job was terminated: its application
     * would be sent with nobody to record it); then the submit is recorded in Postgres (committed), so
     * that any later attempt of this job reports the recorded outcome instead of submitting again (the
     * claim reads it). A record whose click then does not happen is taken back.
     *
     * @throws SubmitWithheld when the workflow no longer wants the submit
     * @throws CancellationException when the step was stopped first
     */
    void beforeClick(String jobId, byte[] token) {
        confirm(jobId, token);
        writes.flush(jobId, 60); // the page's events so far come before submit_started
        Mark mark = mark(jobId);
        try {
            if (mark.waited()) {
                confirm(jobId, token); // it waited for the database: still wanted?
            }
            if (BrowserLanes.currentWorkAborted()) {
                throw new CancellationException("the step was stopped before its final submit");
            }
        } catch (SubmitWithheld | CancellationException notClicked) {
            withdraw(
                    jobId,
                    mark,
                    notClicked instanceof SubmitWithheld w
                            ? "the job's workflow is " + w.verdictName()
                            : "the step was stopped first");
            throw notClicked;
        }
    }

    /**
     * Records the final submit before it is clicked (the click waits for the record: no record, no
     * click). While PostgreSQL is down or restarting the record is tried again, on the lane, for up to
     * {@link #MARK_PATIENCE_MS} (the step keeps heartbeating meanwhile), rather than failing an
     * attempt whose form is complete.
     */
    private Mark mark(String jobId) {
        String eventId = UUID.randomUUID().toString();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MARK_PATIENCE_MS);
        boolean waited = false;
        while (true) {
            try {
                return new Mark(eventId, jobs.markSubmitting(UUID.fromString(jobId), eventId, workerId), waited);
            } catch (RuntimeException e) {
                if (!DatabaseOutage.is(e)
                        || System.nanoTime() - until > 0
                        || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                log.warn("job {}: the final submit waits for the database: {}", jobId, DatabaseOutage.describe(e));
                waited = true;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /**
     * Takes back this step's submit record when the click did not happen, so that the job's next
     * attempt applies instead of reporting a submission that never went out. Best effort: a record
     * left in place errs on the safe side (no second application).
     */
    private void withdraw(String jobId, Mark mark, String why) {
        if (!mark.fresh()) {
            return; // an earlier attempt's record: not this step's to take back
        }
        try {
            boolean done = jobs.withdrawSubmitting(
                    UUID.fromString(jobId), mark.eventId(), UUID.randomUUID().toString(), workerId, why);
            log.warn("job {}: final submit not clicked ({}); record {}", jobId, why, done ? "taken back" : "kept");
        } catch (RuntimeException e) {
            log.warn("job {}: final submit not clicked ({}); its record stays: {}", jobId, why, e.toString());
        }
    }

    /**
     * Right before a final submit, from the lane: asks Temporal whether the step's workflow still
     * runs and wants it (a synchronous heartbeat); throws {@link SubmitWithheld} otherwise. Temporal
     * out of reach is asked again for a few seconds, then the submit is withheld too: the job, if its
     * workflow lives, is tried again from a clean page (nothing was submitted).
     */
    void confirm(String jobId, byte[] token) {
        if (token == null) {
            return;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SUBMIT_CHECK_PATIENCE_MS);
        SubmitCheck.Verdict verdict = submitCheck.check(token);
        while (verdict == SubmitCheck.Verdict.UNREACHABLE && System.nanoTime() - until < 0) {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            verdict = submitCheck.check(token);
        }
        if (verdict == SubmitCheck.Verdict.LIVE) {
            return;
        }
        String state = verdict.name().toLowerCase(Locale.ROOT);
        log.warn("job {}: final submit withheld, the workflow is {}", jobId, state);
        writes.event(
                jobId,
                "submit_withheld",
                "The final submit was not clicked: the job's workflow is " + state,
                Map.of("worker_id", workerId, "verdict", state),
                "engine");
        throw new SubmitWithheld(verdict);
    }

    /**
     * Stores the confirmation of an application that went out. It must not be lost to a database
     * restart (the job would then end {@code submission_unconfirmed}): while PostgreSQL cannot be
     * reached it is tried again, heartbeating, for up to {@link #RECORD_PATIENCE_MS}.
     */
    void record(String jobId, StepResult result) {
        db.await(jobId, "the submission's confirmation", RECORD_PATIENCE_MS, () -> {
            jobs.recordSubmission(
                    UUID.fromString(jobId), result.resultData(), result.summary(), result.screenshotUrls());
            return null;
        });
    }

    /** A final submit that was not clicked because the workflow no longer wants it. */
    static final class SubmitWithheld extends RuntimeException {
        final SubmitCheck.Verdict verdict;

        SubmitWithheld(SubmitCheck.Verdict verdict) {
            super("final submit withheld: workflow " + verdict, null, false, false);
            this.verdict = verdict;
        }

        String verdictName() {
            return verdict.name().toLowerCase(Locale.ROOT);
        }

        /** What the step ends with: cancelled as asked, or a failure nobody may be waiting for. */
        RuntimeException failure(ActivityExecutionContext ctx) {
            switch (verdict) {
                case CANCELLED:
                    return new ActivityCanceledException(ctx.getInfo());
                case GONE:
                    return ApplicationFailure.newNonRetryableFailure(
                            "The job's workflow is gone; the final submit was not clicked",
                            ErrorCode.WORKFLOW_LOST.code());
                default:
                    return ApplicationFailure.newNonRetryableFailure(
                            "Temporal could not confirm the job before its final submit; nothing was submitted",
                            ErrorCode.WORKER_LOST.code());
            }
        }
    }
}
