package io.ghosthands.activities.browser;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.ghosthands.activities.engine.JobEngine;
import io.ghosthands.activities.engine.SecretTyping;
import io.ghosthands.workflows.payload.Progress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser sessions this worker holds, one per job between its first browser step and its end: a
 * page paused for a human stays open here until the resume continues on it. Each session lives in
 * one lane's browser and is touched only on that lane's thread. Sessions whose workflow went away
 * without closing them (a terminated run, a lost close) are reaped once their hold time passed.
 */
public final class JobSessions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JobSessions.class);

    /** One job's browser context and page, and the engine working on it. */
    public static final class Session {
        final String jobId;
        final int lane;
        final BrowserContext context;
        final Page page;
        volatile JobEngine engine;
        volatile long holdUntilNanos;
        volatile int httpStatus;
        final List<String> screenshots = new CopyOnWriteArrayList<>();
        volatile Path resumeFile;
        volatile AutoCloseable resumeHandle;
        // the trace, once ended before a secret was typed (SecretTyping): saved here, nothing recorded since
        volatile boolean traceEnded;
        volatile Path traceZip;
        volatile Progress progress = new Progress("starting", 0, 0);
        // the page's DevTools target id (the live view attaches to it), null if it could not be read
        volatile String targetId;
        // live viewers attached to the page now
        final AtomicInteger viewers = new AtomicInteger();
        // while the job waits for a human on this page: the blocker's reason code ("captcha", "2fa"…)
        // or "screening_question"; null while a step works on it or it waits for nothing
        volatile String pausedFor;
        // whether the page has waited for a human: its hold then covers the pause and what follows it
        volatile boolean humanHeld;

        Session(String jobId, int lane, BrowserContext context, Page page) {
            this.jobId = jobId;
            this.lane = lane;
            this.context = context;
            this.page = page;
            this.holdUntilNanos = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
        }

        public Page page() {
            return page;
        }

        public String jobId() {
            return jobId;
        }

        public int lane() {
            return lane;
        }

        public String targetId() {
            return targetId;
        }

        /** What the page waits for a human to do, or null when it waits for nobody. */
        public String pausedFor() {
            return pausedFor;
        }
    }

    private final BrowserLanes lanes;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;

    public JobSessions(BrowserLanes lanes) {
        this.lanes = lanes;
        this.reaper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("browser-session-reaper"));
        reaper.scheduleWithFixedDelay(this::reap, 30, 30, TimeUnit.SECONDS);
    }

    /** The lane a new session should open on: the least busy, counting the sessions each holds. */
    public int laneForNewSession() {
        return lanes.leastBusy(
                i -> (int) sessions.values().stream().filter(s -> s.lane == i).count());
    }

    /** Registers a session just opened (on its lane's thread). */
    Session open(String jobId, int lane, BrowserContext context, Page page) {
        Session session = new Session(jobId, lane, context, page);
        sessions.put(jobId, session);
        return session;
    }

    public Optional<Session> get(String jobId) {
        return Optional.ofNullable(sessions.get(jobId));
    }

    public int size() {
        return sessions.size();
    }

    /**
     * Where a live view attaches to the job's page: the page's own DevTools WebSocket on this
     * worker's loopback (only that target's domains, not the browser's), if the session is here.
     */
    public Optional<URI> devtoolsUri(String jobId) {
        Session s = sessions.get(jobId);
        if (s == null || s.targetId == null) {
            return Optional.empty();
        }
        int port = lanes.devtoolsPort(s.lane);
        return port == 0
                ? Optional.empty()
                : Optional.of(URI.create("ws://127.0.0.1:" + port + "/devtools/page/" + s.targetId));
    }

    /**
     * A live viewer attached to the job's page. While one is, the page's lane keeps handling
     * Playwright's events for it: the worker's request guard routes every request of the page, and
     * Playwright for Java answers routes only inside its own calls on the lane's thread, so a page
     * paused with an idle lane would hang on the human's first navigation (a form they submit).
     */
    public void viewerJoined(String jobId) {
        Session s = sessions.get(jobId);
        if (s != null && s.viewers.getAndIncrement() == 0) {
            pump(s);
        }
    }

    /** A live viewer left the job's page. */
    public void viewerLeft(String jobId) {
        Session s = sessions.get(jobId);
        if (s != null) {
            s.viewers.updateAndGet(n -> Math.max(0, n - 1));
        }
    }

    private void pump(Session s) {
        if (s.viewers.get() <= 0 || sessions.get(s.jobId) != s) {
            return;
        }
        if (s.pausedFor == null) {
            // a step works on the page: it handles the events; look again shortly
            reaper.schedule(() -> pump(s), 200, TimeUnit.MILLISECONDS);
            return;
        }
        try {
            lanes.onLaneThread(s.lane, () -> {
                if (s.pausedFor != null && sessions.get(s.jobId) == s) {
                    try {
                        s.page.waitForTimeout(100); // answers the page's routed requests meanwhile
                    } catch (RuntimeException e) {
                        log.debug("job {}: live view pump: {}", s.jobId, e.getMessage());
                    }
                }
                reaper.execute(() -> pump(s)); // queued behind other work of the lane, never ahead of it
            });
        } catch (RejectedExecutionException e) {
            log.debug("job {}: lane closed, live view pump stops", s.jobId);
        }
    }

    /**
     * Until when (System.nanoTime) pages paused for a human are held here: the latest hold of a page
     * that waited for a human (the pause's timeout and a margin), if later than {@code now}, else
     * {@code now}. A draining worker keeps such pages (and their live view) until their pause ends and
     * the job's work after it is done, not just for its drain timeout.
     */
    public long pausedHeldUntilNanos(long now) {
        long until = now;
        for (Session s : sessions.values()) {
            if ((s.pausedFor != null || s.humanHeld) && s.holdUntilNanos - until > 0) {
                until = s.holdUntilNanos;
            }
        }
        return until;
    }

    /** The name a job's Playwright trace is started with (its files on disk begin with it). */
    static String traceName(String jobId) {
        return "gh-job-" + jobId;
    }

    /** Keeps the session open for at least {@code seconds} more (a pause waiting for a human). */
    void hold(Session session, int seconds) {
        session.holdUntilNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(seconds, 30));
    }

    /**
     * Forgets the job's session and closes its context on its lane, waiting up to 10 s. A no-op when
     * this worker holds no session for the job.
     */
    public void close(String jobId) {
        Session session = sessions.remove(jobId);
        if (session == null) {
            return;
        }
        try {
            lanes.onLaneThread(session.lane, () -> closeOnLane(session)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("job {}: browser context did not close cleanly: {}", jobId, e.toString());
        }
    }

    /**
     * From the session's lane thread, in work that has finished with the page: forgets the session at
     * once and closes its context as the lane's next task, so that the work's result does not wait
     * for Chromium to tear the context down (~20–40 ms); the lane's next job still starts after it.
     */
    void closeAfterWork(Session session) {
        sessions.remove(session.jobId, session);
        try {
            lanes.onLaneThread(session.lane, () -> closeOnLane(session));
        } catch (RejectedExecutionException e) {
            closeOnLane(session); // the lane is shutting down: close it here
        }
    }

    /** Closes a session from its lane's thread (the caller already removed it, or is about to). */
    void closeOnLane(Session session) {
        sessions.remove(session.jobId, session);
        try {
            session.context.close();
        } catch (RuntimeException e) {
            log.debug("job {}: context close: {}", session.jobId, e.getMessage());
        }
        SecretTyping.forget(session.context);
        // the trace's files on disk (the artifact, if any, is stored by now), and the lane's resources
        // folder when no other traced job is on it
        boolean lastOnLane = sessions.values().stream().noneMatch(s -> s.lane == session.lane);
        lanes.removeTraceFiles(session.lane, traceName(session.jobId), lastOnLane);
        lanes.refillSpare(session.lane); // the next job's context, made while this lane is idle
        if (session.traceZip != null) {
            try {
                Files.deleteIfExists(session.traceZip); // a trace the job never got to store
            } catch (IOException e) {
                log.debug("job {}: trace file not deleted: {}", session.jobId, e.getMessage());
            }
        }
        if (session.resumeHandle != null) {
            try {
                session.resumeHandle.close(); // deletes the fetched copy
            } catch (Exception e) {
                log.debug("job {}: résumé temp file not deleted: {}", session.jobId, e.getMessage());
            }
        }
    }

    private void reap() {
        long now = System.nanoTime();
        for (Session s : sessions.values()) {
            if (now - s.holdUntilNanos > 0) {
                log.info("job {}: closing its browser session, held past its pause without a resume", s.jobId);
                close(s.jobId);
            }
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        for (String jobId : sessions.keySet()) {
            close(jobId);
        }
    }
}
