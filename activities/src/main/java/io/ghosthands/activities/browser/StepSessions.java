package io.ghosthands.activities.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.ghosthands.activities.engine.EngineContext;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.PageQuiet;
import io.ghosthands.activities.engine.SecretTyping;
import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.activities.net.PageRequestGuard;
import io.ghosthands.activities.store.ArtifactStore;
import io.ghosthands.workflows.ErrorCode;
import io.ghosthands.workflows.payload.Progress;
import io.temporal.failure.ApplicationFailure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.WeakHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step's view of a job's browser session: opening it on a lane (held to the outbound URL policy,
 * traced), the engine's context on it (artifacts, progress, events), what the policy refused, its
 * screenshots, and its end (the trace kept first).
 */
final class StepSessions {

    private static final Logger log = LoggerFactory.getLogger(StepSessions.class);

    /** The longest a single page action (click, fill, wait for an element) may take. */
    private static final long ACTION_TIMEOUT_MS = 15_000;

    static final BlockerDetector DETECTOR = new BlockerDetector();

    private final BrowserLanes lanes;
    private final JobSessions sessions;
    private final ArtifactStore artifacts;
    private final StepWrites writes;
    private final JobTraces traces;
    // every job's context is held to the outbound URL policy; what each one refused, by context
    private final PageRequestGuard guard;
    private final Map<BrowserContext, PageRequestGuard.Watch> watches =
            Collections.synchronizedMap(new WeakHashMap<>());

    StepSessions(
            BrowserLanes lanes,
            JobSessions sessions,
            ArtifactStore artifacts,
            StepWrites writes,
            JobTraces traces,
            PageRequestGuard guard) {
        this.lanes = lanes;
        this.sessions = sessions;
        this.artifacts = artifacts;
        this.writes = writes;
        this.traces = traces;
        this.guard = guard;
    }

    /** The job's session in this worker's registry, if it has one. */
    Optional<JobSessions.Session> get(String jobId) {
        return sessions.get(jobId);
    }

    /** The session a later step of the job works on; a worker that no longer holds it fails the step. */
    JobSessions.Session held(String jobId) {
        JobSessions.Session session = sessions.get(jobId)
                .orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
                        "This worker no longer holds the job's browser session (restarted, or the session expired)",
                        ErrorCode.WORKER_LOST.code()));
        session.pausedFor = null; // a step works on it again: no more input from a live view
        return session;
    }

    /** A job's new session on {@code lane}, from the lane's thread. */
    JobSessions.Session open(Browser browser, int lane, String jobId, int timeoutSeconds) {
        BrowserLanes.Fresh fresh = lanes.freshContext(lane, browser);
        BrowserContext context = fresh.context();
        context.setDefaultTimeout(Math.min(ACTION_TIMEOUT_MS, timeoutSeconds * 1000L));
        context.setDefaultNavigationTimeout(timeoutSeconds * 1000.0);
        PageQuiet.track(context);
        watches.put(context, guard.install(context)); // before the first navigation
        traces.start(context, jobId);
        JobSessions.Session session = sessions.open(jobId, lane, context, fresh.page());
        session.targetId = fresh.targetId();
        SecretTyping.watch(context, () -> traces.endBeforeSecret(session));
        return session;
    }

    /** Keeps the session open for the workflow's next step, for up to {@code holdSeconds}. */
    void hold(JobSessions.Session session, int holdSeconds) {
        sessions.hold(session, holdSeconds);
    }

    /** Ends the job's trace now, {@code why} the event's message (see {@link JobTraces#end}). */
    void endTrace(JobSessions.Session session, String why) {
        traces.end(session, why);
    }

    /**
     * Closes a session from its lane, keeping the job's trace as an artifact first (see
     * {@link JobTraces#keep}); returns the trace's URL, or null.
     */
    String end(JobSessions.Session session) {
        String traceUrl = traces.keep(session);
        sessions.closeAfterWork(session);
        return traceUrl;
    }

    /** The engine's view of the activity: artifacts, progress, blocker checks and events. */
    EngineContext context(JobSessions.Session session) {
        UUID jobId = UUID.fromString(session.jobId);
        return new EngineContext() {
            @Override
            public String saveScreenshot(String name, byte[] image) {
                String type = name.endsWith(".jpg") || name.endsWith(".jpeg") ? "image/jpeg" : "image/png";
                String url = saveArtifact("screenshot", name, type, image);
                session.screenshots.add(url);
                return url;
            }

            @Override
            public String saveArtifact(String kind, String name, String contentType, byte[] bytes) {
                return writes.saveLater(jobId, kind, name, contentType, bytes);
            }

            @Override
            public void progress(String step, int pct, String message) {
                session.progress = new Progress(step, pct, session.progress.actionsCompleted() + 1);
            }

            @Override
            public Optional<BlockerDetector.Blocker> blocker(Page page) {
                return DETECTOR.detect(page);
            }

            @Override
            public void event(String type, String message, Map<String, Object> metadata) {
                writes.event(session.jobId, type, message, metadata, "engine");
            }
        };
    }

    /** A screenshot of the session's page, stored now; null when the page or browser is gone. */
    String screenshotQuietly(JobSessions.Session session, String name) {
        try {
            UUID id = artifacts.save(
                    UUID.fromString(session.jobId),
                    "screenshot",
                    name,
                    "image/png",
                    SecretTyping.screenshot(session.page, new Page.ScreenshotOptions().setTimeout(5_000)));
            String url = artifacts.url(id);
            session.screenshots.add(url);
            return url;
        } catch (RuntimeException e) {
            return null; // the page or browser is gone
        }
    }

    static String titleQuietly(Page page) {
        try {
            return page.title();
        } catch (RuntimeException e) {
            return "";
        }
    }

    static void blankQuietly(JobSessions.Session session) {
        try {
            session.page.navigate("about:blank");
        } catch (RuntimeException e) {
            log.debug("job {}: page not blanked: {}", session.jobId, e.toString());
        }
    }

    /**
     * The job's failure when one of its navigations or redirects was refused by the outbound URL
     * policy ({@code network_error}, {@code error_details.reason: blocked_address}), else null.
     */
    Outcome.Failed blockedNavigation(JobSessions.Session session) {
        PageRequestGuard.Watch watch = watches.get(session.context);
        if (watch == null || !watch.navigationBlocked()) {
            return null;
        }
        PageRequestGuard.Blocked first = watch.first().orElseThrow();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", OutboundUrlPolicy.BLOCKED_ADDRESS);
        details.put("blocked_url", first.url());
        details.put("refused", first.refusal().kind());
        details.put("redirect", first.redirect());
        return new Outcome.Failed(
                ErrorCode.NETWORK_ERROR.code(),
                "Refused to load " + first.url() + ": " + first.refusal().message(),
                details);
    }

    /** A job event for the page's requests the policy refused (the page itself went on). */
    void noteBlockedRequests(JobSessions.Session session) {
        PageRequestGuard.Watch watch = watches.get(session.context);
        List<PageRequestGuard.Blocked> blocked = watch == null ? List.of() : watch.unreported();
        if (blocked.isEmpty()) {
            return;
        }
        List<Map<String, Object>> list = blocked.stream()
                .map(b -> Map.<String, Object>of(
                        "url",
                        b.url(),
                        "refused",
                        b.refusal().kind(),
                        "message",
                        b.refusal().message()))
                .toList();
        writes.event(
                session.jobId,
                "requests_blocked",
                blocked.size() + " request(s) of the page refused by the outbound URL policy",
                Map.of("reason", OutboundUrlPolicy.BLOCKED_ADDRESS, "requests", list),
                "browser");
    }
}
