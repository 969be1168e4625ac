package io.ghosthands.activities.browser;

import io.ghosthands.activities.engine.Engines;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.resumefile.ResumeFile;
import io.ghosthands.activities.engine.resumefile.ResumeFiles;
import io.ghosthands.activities.engine.resumefile.ResumeUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's résumé, downloading while its lane opens the page; the session owns the file once it has
 * taken it, and a copy nobody took is deleted when the step ends.
 */
final class ResumeFetch {

    private static final Logger log = LoggerFactory.getLogger(ResumeFetch.class);

    /** Downloads of résumés, beside the lanes (I/O bound). */
    private static final ExecutorService FETCHES =
            Executors.newCachedThreadPool(DaemonThreads.named("gh-resume-fetch"));

    private final CompletableFuture<Optional<ResumeFile>> fetch;
    private final AtomicBoolean taken = new AtomicBoolean();

    private ResumeFetch(CompletableFuture<Optional<ResumeFile>> fetch) {
        this.fetch = fetch;
    }

    /** The job's résumé download, started now; null when its job type needs none. */
    static ResumeFetch start(ResumeFiles resumes, JobSpec job) {
        return Engines.needsResume(job.jobType())
                ? new ResumeFetch(CompletableFuture.supplyAsync(() -> resumes.resolve(job.inputData()), FETCHES))
                : null;
    }

    /** The job's failure when its résumé could not be had (waits for the download), else null. */
    Outcome.Failed failure() {
        try {
            fetch.join();
            return null;
        } catch (CompletionException e) {
            if (e.getCause() instanceof ResumeUnavailableException r) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("resume_source", r.source());
                return new Outcome.Failed(r.errorCode(), r.getMessage(), details);
            }
            throw e.getCause() instanceof RuntimeException re ? re : e;
        }
    }

    /** The résumé, now the caller's to delete (see {@link #failure} first). */
    Optional<ResumeFile> take() {
        Optional<ResumeFile> resume = fetch.join();
        taken.set(true);
        return resume;
    }

    /** When the step ended before the session took the file: deletes the fetched copy once it is there. */
    void releaseUntaken() {
        if (!taken.get()) {
            fetch.thenAccept(r -> r.ifPresent(ResumeFetch::closeQuietly));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            log.debug("résumé copy not deleted: {}", e.toString());
        }
    }
}
