package io.ghosthands.activities.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Response;
import io.ghosthands.activities.engine.EngineContext;
import io.ghosthands.activities.engine.Engines;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.resumefile.ResumeFile;
import io.ghosthands.activities.engine.resumefile.ResumeFiles;
import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.activities.net.PageRequestGuard;
import io.ghosthands.activities.store.ArtifactStore;
import io.ghosthands.activities.store.JobStore;
import io.ghosthands.workflows.ErrorCode;
import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.payload.Progress;
import io.ghosthands.workflows.payload.ResumeStep;
import io.ghosthands.workflows.payload.StepRequest;
import io.ghosthands.workflows.payload.StepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser steps on Playwright. A job's first step opens its session — its own
 * {@code BrowserContext} on one of the worker's {@link BrowserLanes}, registered in
 * {@link JobSessions} — and runs the job type's engine on it. The session stays open while the job
 * waits for a human or for its final submit, and is closed when the job is done, fails, or the
 * workflow says so. While the browser works, the activity heartbeats to Temporal and to the row
 * ({@link LaneRunner}); the final submit is confirmed with Temporal and recorded by {@link SubmitRecords}; sessions, their engine
 * context and artifacts are {@link StepSessions}' and traces {@link JobTraces}'.
 */
public class BrowserActivitiesImpl implements BrowserActivities {

    private static final Logger log = LoggerFactory.getLogger(BrowserActivitiesImpl.class);

    /**
     * How often a running step heartbeats. Cancellation reaches an activity only through a heartbeat,
     * so this (with the worker's heartbeat throttle) bounds how long a cancelled job's browser keeps
     * going.
     */
    public static final long HEARTBEAT_EVERY_MS = 500;

    /** How long a step that starts waits for PostgreSQL to read its job. */
    static final long SPEC_PATIENCE_MS = 60_000;

    private final JobSessions sessions;
    private final JobStore jobs;
    private final ResumeFiles resumes;
    private final StepWrites writes;
    private final DatabasePatience db;
    private final LaneRunner runner;
    private final StepSessions steps;
    private final SubmitRecords submits;

    public BrowserActivitiesImpl(BrowserLanes lanes, JobSessions sessions, JobStore jobs, ArtifactStore artifacts) {
        this(
                lanes,
                sessions,
                jobs,
                artifacts,
                TraceMode.ACTIONS,
                new ResumeFiles(Optional.empty()),
                "worker",
                new PageRequestGuard(OutboundUrlPolicy.strict()));
    }

    /**
     * @param trace what Playwright trace each job keeps as an artifact
     * @param resumes fetches a job's résumé ({@code download_url}, {@code storage_path} or
     *     {@code s3_key} from the configured store, {@code resume_path})
     * @param workerId this worker's id, for the {@code submit_started} record
     * @param guard what every request of a job's pages may reach
     */
    public BrowserActivitiesImpl(
            BrowserLanes lanes,
            JobSessions sessions,
            JobStore jobs,
            ArtifactStore artifacts,
            TraceMode trace,
            ResumeFiles resumes,
            String workerId,
            PageRequestGuard guard) {
        this(lanes, sessions, jobs, artifacts, trace, resumes, workerId, guard, null);
    }

    /** @param scratch the worker's private temp folder, where trace zips are written before they are stored */
    public BrowserActivitiesImpl(
            BrowserLanes lanes,
            JobSessions sessions,
            JobStore jobs,
            ArtifactStore artifacts,
            TraceMode trace,
            ResumeFiles resumes,
            String workerId,
            PageRequestGuard guard,
            WorkerScratch scratch) {
        this(lanes, sessions, jobs, artifacts, trace, resumes, workerId, guard, scratch, SubmitCheck.NONE);
    }

    /** @param submitCheck asked right before every final submit whether the workflow still wants it */
    public BrowserActivitiesImpl(
            BrowserLanes lanes,
            JobSessions sessions,
            JobStore jobs,
            ArtifactStore artifacts,
            TraceMode trace,
            ResumeFiles resumes,
            String workerId,
            PageRequestGuard guard,
            WorkerScratch scratch,
            SubmitCheck submitCheck) {
        this.sessions = sessions;
        this.jobs = jobs;
        this.resumes = resumes;
        this.writes = new StepWrites(jobs, artifacts);
        this.db = new DatabasePatience(jobs);
        this.runner = new LaneRunner(lanes, sessions, db);
        this.steps = new StepSessions(lanes, sessions, artifacts, writes, new JobTraces(trace, scratch, writes), guard);
        this.submits = new SubmitRecords(jobs, workerId, submitCheck, writes, db);
    }

    @Override
    public StepResult start(StepRequest request) {
        String jobId = request.jobId();
        sessions.close(jobId); // a session left by an earlier attempt of this job
        JobSpec stored =
                db.await(jobId, "reading the job", SPEC_PATIENCE_MS, () -> jobs.spec(UUID.fromString(jobId), null));
        int lane = sessions.laneForNewSession();
        // the résumé downloads while the lane opens the page; the session owns the file once it has it
        ResumeFetch resumeFetch = ResumeFetch.start(resumes, stored);
        try {
            return run(
                    lane,
                    jobId,
                    request.timeoutSeconds(),
                    request.holdSeconds(),
                    browser -> firstPage(browser, lane, request, stored, resumeFetch));
        } finally {
            if (resumeFetch != null) {
                resumeFetch.releaseUntaken();
            }
        }
    }

    /** A job's first step on its lane: a new session, the target page, then the job type's engine. */
    private Outcome firstPage(Browser browser, int lane, StepRequest request, JobSpec stored, ResumeFetch resumeFetch) {
        JobSessions.Session session = steps.open(browser, lane, request.jobId(), request.timeoutSeconds());
        EngineContext ctx = steps.context(session);
        ctx.progress("navigating", 5, "Opening " + request.url());
        Response response;
        try {
            response = session.page.navigate(request.url());
        } catch (RuntimeException e) {
            // a job without its résumé fails for that, whatever the page did
            Outcome.Failed noResume = resumeFetch == null ? null : resumeFetch.failure();
            if (noResume != null) {
                return noResume;
            }
            throw e;
        }
        JobSpec spec = stored;
        if (resumeFetch != null) {
            Outcome.Failed failed = resumeFetch.failure();
            if (failed != null) {
                return failed;
            }
            Optional<ResumeFile> resume = resumeFetch.take();
            if (resume.isPresent()) {
                session.resumeFile = resume.get().path();
                session.resumeHandle = resume.get();
                spec = new JobSpec(
                        stored.jobId(),
                        stored.jobType(),
                        stored.targetUrl(),
                        stored.taskDescription(),
                        stored.inputData(),
                        resume.get().path());
            }
        }
        int status = response == null ? 0 : response.status();
        session.httpStatus = status;
        Outcome refused = refusedPage(session, stored, status);
        if (refused != null) {
            return refused;
        }
        session.engine = Engines.create(spec, ctx, status);
        return session.engine.proceed(session.page);
    }

    /** A blocker or an HTTP error on the job's first page, else null. */
    private static Outcome refusedPage(JobSessions.Session session, JobSpec stored, int status) {
        // the apply engine looks for blockers itself once the page has settled; a refused page
        // (challenges come with 403, 429, 503) is looked at here either way
        if (!Engines.checksBlockers(stored.jobType()) || status >= 400) {
            Optional<BlockerDetector.Blocker> blocker = StepSessions.DETECTOR.detect(session.page);
            if (blocker.isPresent()) {
                return new Outcome.Blocked(blocker.get());
            }
        }
        if (status >= 400) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("http_status", status);
            return new Outcome.Failed(
                    ErrorCode.PAGE_LOAD_FAILED.code(), "HTTP " + status + " from " + session.page.url(), details);
        }
        return null;
    }

    @Override
    public StepResult resume(ResumeStep request) {
        StepRequest step = request.step();
        JobSessions.Session session = steps.held(step.jobId());
        return run(session.lane, step.jobId(), step.timeoutSeconds(), step.holdSeconds(), browser -> {
            session.page.context().setDefaultNavigationTimeout(step.timeoutSeconds() * 1000.0);
            ResolutionInjector.Applied applied = ResolutionInjector.apply(session.page, request.action());
            EngineContext ctx = steps.context(session);
            ctx.event(
                    "hitl_resolution_applied",
                    applied.note(),
                    Map.of("resolution_type", applied.resolutionType(), "injected", applied.injected()));
            Optional<BlockerDetector.Blocker> blocker = StepSessions.DETECTOR.detect(session.page);
            if (blocker.isPresent()) {
                // a widget the human just solved may take a moment to go away
                session.page.waitForTimeout(1000);
                blocker = StepSessions.DETECTOR.detect(session.page);
            }
            if (blocker.isPresent()) {
                return new Outcome.Blocked(blocker.get());
            }
            if (session.engine == null) {
                session.engine =
                        Engines.create(jobs.spec(UUID.fromString(step.jobId()), null), ctx, session.httpStatus);
            }
            Map<String, Object> answers = ResolutionInjector.answers(request.action());
            if (!answers.isEmpty()) {
                session.engine.addAnswers(answers);
                ctx.event(
                        "hitl_answers_given",
                        answers.size() + " answer(s) from the human for the form's questions",
                        Map.of("questions", new ArrayList<>(answers.keySet())));
            }
            return session.engine.proceed(session.page);
        });
    }

    /**
     * The final submit as a step of its own, for a workflow that was handed {@code ready_to_submit}
     * (steps no longer return it: they submit in place, see {@link #run}); kept for jobs whose
     * workflow got that answer from an earlier version of this worker.
     */
    @Override
    public StepResult submit(StepRequest request) {
        JobSessions.Session session = steps.held(request.jobId());
        byte[] token = LaneRunner.taskToken();
        StepResult result =
                run(session.lane, request.jobId(), request.timeoutSeconds(), request.holdSeconds(), browser -> {
                    submits.confirm(request.jobId(), token);
                    return session.engine.submit(session.page);
                });
        if (result.is(StepResult.DONE)) {
            submits.record(request.jobId(), result);
        }
        return result;
    }

    @Override
    public void close(String jobId) {
        sessions.close(jobId);
    }

    /**
     * Runs a step's work on the session's lane, then turns the engine's outcome into the step's
     * result: done and failed close the session (keeping its trace), the others keep the page open for
     * the workflow's next step.
     */
    private StepResult run(
            int lane, String jobId, int timeoutSeconds, int holdSeconds, Function<Browser, Outcome> work) {
        AtomicBoolean submitted = new AtomicBoolean();
        byte[] token = LaneRunner.taskToken();
        StepResults.Finished finished;
        try {
            finished = runner.onLane(
                    lane, jobId, timeoutSeconds, browser -> work(browser, jobId, holdSeconds, work, submitted, token));
        } finally {
            // what the result names is stored before anyone reads it; while the database is away this
            // waits (bounded), heartbeating so that Temporal does not give the step up meanwhile
            writes.flush(jobId, 60, DatabasePatience::heartbeatQuietly);
        }
        StepResult result = StepResults.result(finished);
        if (submitted.get() && result.is(StepResult.DONE)) {
            submits.record(jobId, result);
        }
        return result;
    }

    /** A step's lane work: the engine's part, the submit in place, the session kept or ended. */
    private StepResults.Finished work(
            Browser browser,
            String jobId,
            int holdSeconds,
            Function<Browser, Outcome> work,
            AtomicBoolean submitted,
            byte[] token) {
        Outcome outcome;
        try {
            outcome = work.apply(browser);
            if (outcome instanceof Outcome.ReadyToSubmit) {
                // the form is complete: record the submit, then click it in the same step, on the same page
                JobSessions.Session session = steps.get(jobId).orElseThrow();
                submits.beforeClick(jobId, token);
                submitted.set(true);
                outcome = session.engine.submit(session.page);
            }
        } catch (RuntimeException e) {
            outcome = afterFailure(jobId, e);
        }
        return finish(steps.get(jobId).orElseThrow(), outcome, holdSeconds);
    }

    /**
     * What a failure of the step's work comes to: a refused navigation (the cause, whatever the page
     * then threw), else the failure itself, thrown with a screenshot of the page once its session ended.
     */
    private Outcome afterFailure(String jobId, RuntimeException e) {
        JobSessions.Session session = steps.get(jobId).orElse(null);
        Outcome.Failed blocked = session == null ? null : steps.blockedNavigation(session);
        if (blocked != null) {
            return blocked;
        }
        String shot = session == null ? null : steps.screenshotQuietly(session, "failure.png");
        if (session != null) {
            steps.end(session);
        }
        throw new StepFailures.StepException(e, shot);
    }

    /** The end of a step's lane work: the session held for what comes next, or ended. */
    private StepResults.Finished finish(JobSessions.Session session, Outcome outcome, int holdSeconds) {
        Outcome.Failed blocked = steps.blockedNavigation(session);
        if (blocked != null) {
            // no screenshot, title or URL of a page that a refused redirect may have filled
            StepSessions.blankQuietly(session);
            String traceUrl = steps.end(session);
            return new StepResults.Finished(
                    blocked, null, "about:blank", "", session.httpStatus, session.progress, traceUrl);
        }
        steps.noteBlockedRequests(session);
        if (outcome instanceof Outcome.Blocked || outcome instanceof Outcome.NeedsAnswers) {
            return pauseForHuman(session, outcome, holdSeconds);
        }
        if (outcome instanceof Outcome.ReadyToSubmit) {
            steps.hold(session, holdSeconds);
            return new StepResults.Finished(
                    outcome, null, session.page.url(), null, session.httpStatus, session.progress, null);
        }
        String shot = outcome instanceof Outcome.Failed ? steps.screenshotQuietly(session, "failure.png") : null;
        String url = session.page.url();
        String title = StepSessions.titleQuietly(session.page);
        Progress progress = session.progress;
        String traceUrl = steps.end(session);
        return new StepResults.Finished(outcome, shot, url, title, session.httpStatus, progress, traceUrl);
    }

    /** The session held for a human: a screenshot of what they face, and the trace ended first. */
    private StepResults.Finished pauseForHuman(JobSessions.Session session, Outcome outcome, int holdSeconds) {
        String shot = steps.screenshotQuietly(session, "needs-human.png");
        steps.hold(session, holdSeconds);
        session.pausedFor =
                outcome instanceof Outcome.Blocked b ? b.blocker().reason().code() : "screening_question";
        session.humanHeld = true;
        try {
            steps.endTrace(
                    session,
                    "The trace ends here: the job waits for a human, who may type a code or a password"
                            + " into its page through the live view");
        } catch (RuntimeException e) {
            log.warn("job {}: the trace could not be ended at the pause: {}", session.jobId, e.toString());
        }
        return new StepResults.Finished(
                outcome, shot, session.page.url(), null, session.httpStatus, session.progress, null);
    }
}
