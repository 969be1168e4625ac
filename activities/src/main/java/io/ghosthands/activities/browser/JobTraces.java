package io.ghosthands.activities.browser;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Tracing;
import io.ghosthands.activities.engine.SecretTyping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's Playwright trace: started with its session, ended before the first secret is typed or
 * when the job pauses for a human, and kept as an artifact when the session ends — unless it holds
 * a secret typed in the job.
 */
final class JobTraces {

    private static final Logger log = LoggerFactory.getLogger(JobTraces.class);

    private final TraceMode trace;
    // the worker's private temp folder (trace zips pass through it); null: the system's
    private final WorkerScratch scratch;
    private final StepWrites writes;

    JobTraces(TraceMode trace, WorkerScratch scratch, StepWrites writes) {
        this.trace = trace;
        this.scratch = scratch;
        this.writes = writes;
    }

    /** Starts tracing a job's new context, as the trace mode says. */
    void start(BrowserContext context, String jobId) {
        if (trace != TraceMode.OFF) {
            context.tracing()
                    .start(new Tracing.StartOptions()
                            .setName(JobSessions.traceName(jobId))
                            .setScreenshots(false)
                            .setSnapshots(trace == TraceMode.FULL));
        }
    }

    /**
     * Right before the first secret is typed into the job's page: the trace is saved as it stands and
     * tracing stops for the rest of the job. Stopping (not pausing) matters: a paused trace still
     * records the network (the sign-in POST's body) into its files on disk, and its DOM snapshots
     * would hold the typed value. If the trace cannot be ended, it is dropped and the session is not
     * traced any more; if even that fails, the secret is not typed (the step fails).
     */
    void endBeforeSecret(JobSessions.Session session) {
        end(session, "The trace ends here: a secret (one-time code, password) is typed next");
    }

    /**
     * Ends the trace as {@link #endBeforeSecret} does, with {@code why} as the event's message.
     * Also used when the job pauses for a human: from then on a person may type into the page through
     * the live view — a code, a password — outside Playwright, where no secret watch can see it coming.
     */
    void end(JobSessions.Session session, String why) {
        if (trace == TraceMode.OFF || session.traceEnded) {
            return;
        }
        Path zip = null;
        try {
            zip = newTempFile();
            session.context.tracing().stop(new Tracing.StopOptions().setPath(zip));
            session.traceZip = zip;
            session.traceEnded = true;
        } catch (IOException | RuntimeException e) {
            log.warn(
                    "job {}: the trace could not be saved before a secret was typed; it is dropped: {}",
                    session.jobId,
                    e.toString());
            deleteQuietly(zip);
            session.context.tracing().stop(); // throws if tracing goes on: then the secret is not typed
            session.traceEnded = true;
        }
        writes.event(session.jobId, "trace_ended", why, Map.of(), "engine");
    }

    /**
     * Keeps the job's trace as an artifact, before its session closes: the trace as it stood before
     * the job's first secret was typed, or else the whole. A trace that nevertheless holds a secret
     * typed in this job (the last check) is not kept.
     *
     * @return the kept trace's URL, or null
     */
    String keep(JobSessions.Session session) {
        if (trace == TraceMode.OFF) {
            return null;
        }
        String traceUrl = null;
        Path zip = session.traceZip;
        try {
            if (!session.traceEnded) {
                zip = newTempFile();
                session.context.tracing().stop(new Tracing.StopOptions().setPath(zip));
            }
            byte[] bytes = zip == null ? new byte[0] : Files.readAllBytes(zip);
            if (bytes.length > 0 && SecretTyping.zipHoldsAny(bytes, SecretTyping.secrets(session.context))) {
                log.warn("job {}: its trace holds a secret typed in the job; the trace is not kept", session.jobId);
                writes.event(
                        session.jobId,
                        "trace_withheld",
                        "The trace was not kept: it recorded a secret typed in the job",
                        Map.of(),
                        "engine");
            } else if (bytes.length > 0) {
                traceUrl = writes.saveLater(
                        UUID.fromString(session.jobId), "trace", "trace.zip", "application/zip", bytes);
            }
        } catch (Exception e) {
            log.debug("job {}: trace not kept: {}", session.jobId, e.toString());
        } finally {
            deleteQuietly(zip);
            session.traceZip = null;
        }
        return traceUrl;
    }

    private Path newTempFile() throws IOException {
        return scratch != null ? scratch.newFile("gh-trace-", ".zip") : Files.createTempFile("gh-trace-", ".zip");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.debug("{} not deleted: {}", file, e.toString());
            }
        }
    }
}
