package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.BrowserActivitiesImpl;
import io.ghosthands.activities.browser.BrowserLanes;
import io.ghosthands.activities.browser.JobSessions;
import io.ghosthands.activities.browser.LaneGate;
import io.ghosthands.activities.browser.WorkerScratch;
import io.ghosthands.activities.engine.resumefile.ResumeFiles;
import io.ghosthands.activities.net.PageRequestGuard;
import io.ghosthands.activities.store.ArtifactStore;
import io.ghosthands.activities.store.JobStore;
import io.ghosthands.workflows.TaskQueues;
import io.ghosthands.workflows.activity.BrowserActivities;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser side of one worker process: its lanes (Chromium processes), which of them are spoken
 * for ({@link LaneGate}: the claim queues are polled only for a free one), the jobs' open pages, the
 * résumé store and the worker's private scratch folder, and a count of the browser steps running.
 */
final class WorkerBrowsers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerBrowsers.class);

    // this worker's private temp folder (0700): its browsers' temp files and the trace zips
    private final WorkerScratch scratch;
    private final BrowserLanes lanes;
    private final LaneGate laneGate;
    private final JobSessions sessions;
    // fetches the jobs' résumés; holds the S3 client when the store is S3
    private final ResumeFiles resumes;
    private final AtomicInteger activeSteps = new AtomicInteger();

    /** Starts the browsers (a missing Chromium fails here) and opens the résumé store. */
    WorkerBrowsers(WorkerSettings settings) {
        // removes the folders of workers killed before they could (kill -9), then makes this one's
        this.scratch = WorkerScratch.open(settings.workerId());
        this.lanes = new BrowserLanes(settings.browser(), settings.concurrency(), scratch);
        // a named worker takes the jobs aimed at it before the shared pool's
        this.laneGate = new LaneGate(
                settings.concurrency(), settings.named() ? TaskQueues.claimsFor(settings.workerId()) : null);
        try {
            lanes.warmUp();
            // a download_url and its redirects are held to the same policy as the job's pages
            this.resumes = settings.jobs().resumeStorage().open(settings.outbound());
        } catch (RuntimeException e) {
            lanes.close();
            scratch.close();
            throw e;
        }
        this.sessions = new JobSessions(lanes);
        log.info(
                "worker {}: {}",
                settings.workerId(),
                settings.jobs().resumeStorage().describe(resumes));
    }

    /** The browser steps, counted and reported to the lane gate. */
    BrowserActivities activities(
            WorkerSettings settings, JobStore jobs, ArtifactStore artifacts, TemporalSubmitCheck submitCheck) {
        return new CountingBrowserActivities(
                new BrowserActivitiesImpl(
                        lanes,
                        sessions,
                        jobs,
                        artifacts,
                        settings.jobs().trace(),
                        resumes,
                        settings.workerId(),
                        new PageRequestGuard(settings.outbound()),
                        scratch,
                        submitCheck),
                activeSteps,
                laneGate);
    }

    LaneGate laneGate() {
        return laneGate;
    }

    JobSessions sessions() {
        return sessions;
    }

    /** Browser steps running now. */
    int runningSteps() {
        return activeSteps.get();
    }

    /** Browser steps running plus pages held between steps (e.g. paused for a human). */
    int jobsHeld() {
        return Math.max(activeSteps.get(), sessions.size());
    }

    /** Kills the browsers: the steps running in them fail at once. */
    void killBrowsers() {
        lanes.killBrowsers();
    }

    @Override
    public void close() {
        sessions.close();
        laneGate.close();
        lanes.close();
        resumes.close();
        scratch.close(); // the browsers' temp files, traces included
    }
}
