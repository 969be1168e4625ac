package io.ghosthands.activities.browser;

import com.microsoft.playwright.Browser;
import io.ghosthands.workflows.ErrorCode;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs a step's browser work on its lane while the activity's thread heartbeats to Temporal (and,
 * now and then, to the row); a cancelled step or one past its time limit is aborted at once.
 */
final class LaneRunner {

    private final BrowserLanes lanes;
    private final JobSessions sessions;
    private final DatabasePatience db;

    LaneRunner(BrowserLanes lanes, JobSessions sessions, DatabasePatience db) {
        this.lanes = lanes;
        this.sessions = sessions;
        this.db = db;
    }

    /** Runs work on a lane, heartbeating while it runs, mapping failures to error codes. */
    <T> T onLane(int lane, String jobId, int timeoutSeconds, Function<Browser, T> work) {
        ActivityExecutionContext ctx = Activity.getExecutionContext();
        UUID id = UUID.fromString(jobId);
        BrowserLanes.LaneTask<T> task = lanes.submitTo(lane, work);
        Future<T> future = task.future();
        db.mirrorHeartbeat(id);
        long lastDbHeartbeat = System.nanoTime();
        // the engine's own page timeouts fire first; this stops a step that ignores them
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds + 15L);
        while (true) {
            try {
                return future.get(BrowserActivitiesImpl.HEARTBEAT_EVERY_MS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillWorking) {
                try {
                    ctx.heartbeat(null);
                } catch (ActivityCompletionException cancelledOrGone) {
                    // the step's own failure path closes the session on its lane, once the browser is gone
                    task.abort();
                    throw cancelledOrGone;
                }
                if (System.nanoTime() - deadline > 0) {
                    task.abort();
                    sessions.close(jobId);
                    throw ApplicationFailure.newNonRetryableFailure(
                            "The browser step ran past the job's time limit", ErrorCode.TIMEOUT.code());
                }
                if (System.nanoTime() - lastDbHeartbeat > TimeUnit.SECONDS.toNanos(5)) {
                    db.mirrorHeartbeat(id);
                    lastDbHeartbeat = System.nanoTime();
                }
            } catch (InterruptedException e) {
                task.abort();
                Thread.currentThread().interrupt();
                throw Activity.wrap(e);
            } catch (CancellationException e) {
                throw ApplicationFailure.newNonRetryableFailure(
                        "browser step aborted", ErrorCode.BROWSER_CRASHED.code());
            } catch (ExecutionException e) {
                throw failure(e, ctx);
            }
        }
    }

    /** The step's failure for what its lane work threw. */
    private static RuntimeException failure(ExecutionException e, ActivityExecutionContext ctx) {
        Throwable cause = e.getCause();
        String shot = null;
        if (cause instanceof StepFailures.StepException step) {
            shot = step.screenshotUrl;
            cause = cause.getCause();
        }
        if (cause instanceof SubmitRecords.SubmitWithheld withheld) {
            return withheld.failure(ctx);
        }
        if (cause instanceof ApplicationFailure failure) {
            return failure;
        }
        return StepFailures.classify(cause, shot);
    }

    /** The running activity's task token (null outside an activity, as in some tests). */
    static byte[] taskToken() {
        try {
            return Activity.getExecutionContext().getTaskToken();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
