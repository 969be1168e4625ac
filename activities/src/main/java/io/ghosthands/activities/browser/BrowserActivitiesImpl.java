package io.ghosthands.activities.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.Tracing;
import io.ghosthands.activities.engine.EngineContext;
import io.ghosthands.activities.engine.Engines;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.PageQuiet;
import io.ghosthands.activities.engine.SecretTyping;
import io.ghosthands.activities.engine.resumefile.ResumeFile;
import io.ghosthands.activities.engine.resumefile.ResumeFiles;
import io.ghosthands.activities.engine.resumefile.ResumeUnavailableException;
import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.activities.net.PageRequestGuard;
import io.ghosthands.activities.store.ArtifactStore;
import io.ghosthands.activities.store.DatabaseOutage;
import io.ghosthands.activities.store.JobEvent;
import io.ghosthands.activities.store.JobStore;
import io.ghosthands.workflows.ErrorCode;
import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.payload.Interaction;
import io.ghosthands.workflows.payload.Progress;
import io.ghosthands.workflows.payload.ResumeStep;
import io.ghosthands.workflows.payload.StepRequest;
import io.ghosthands.workflows.payload.StepResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Browser steps on Playwright. A job's first step opens its session — its own
 * {@code BrowserContext} on one of the worker's {@link BrowserLanes}, registered in
 * {@link JobSessions} — and runs the job type's engine on it. The session stays open while the job
 * waits for a human or for its final submit, and is closed when the job is done, fails, or the
 * workflow says so. While the browser works, the activity heartbeats to Temporal and to the row.
 */
public class BrowserActivitiesImpl implements BrowserActivities {

  private static final Logger log = LoggerFactory.getLogger(BrowserActivitiesImpl.class);

  /** The longest a single page action (click, fill, wait for an element) may take. */
  private static final long ACTION_TIMEOUT_MS = 15_000;

  /**
   * How often a running step heartbeats. Cancellation reaches an activity only through a heartbeat,
   * so this (with the worker's heartbeat throttle) bounds how long a cancelled job's browser keeps
   * going.
   */
  public static final long HEARTBEAT_EVERY_MS = 500;

  private static final BlockerDetector DETECTOR = new BlockerDetector();

  private final BrowserLanes lanes;
  private final JobSessions sessions;
  private final JobStore jobs;
  private final ArtifactStore artifacts;
  private final TraceMode trace;
  private final String workerId;
  private final ResumeFiles resumes;
  // the worker's private temp folder (trace zips pass through it); null: the system's
  private final WorkerScratch scratch;
  private final OrderedWrites writes = new OrderedWrites();
  private final SubmitCheck submitCheck;
  // every job's context is held to the outbound URL policy; what each one refused, by context
  private final PageRequestGuard guard;
  private final Map<BrowserContext, PageRequestGuard.Watch> watches =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  public BrowserActivitiesImpl(BrowserLanes lanes, JobSessions sessions, JobStore jobs, ArtifactStore artifacts) {
    this(lanes, sessions, jobs, artifacts, TraceMode.ACTIONS, new ResumeFiles(Optional.empty()), "worker",
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
      BrowserLanes lanes, JobSessions sessions, JobStore jobs, ArtifactStore artifacts, TraceMode trace,
      ResumeFiles resumes, String workerId, PageRequestGuard guard) {
    this(lanes, sessions, jobs, artifacts, trace, resumes, workerId, guard, null);
  }

  /** @param scratch the worker's private temp folder, where trace zips are written before they are stored */
  public BrowserActivitiesImpl(
      BrowserLanes lanes, JobSessions sessions, JobStore jobs, ArtifactStore artifacts, TraceMode trace,
      ResumeFiles resumes, String workerId, PageRequestGuard guard, WorkerScratch scratch) {
    this(lanes, sessions, jobs, artifacts, trace, resumes, workerId, guard, scratch, SubmitCheck.NONE);
  }

  /** @param submitCheck asked right before every final submit whether the workflow still wants it */
  public BrowserActivitiesImpl(
      BrowserLanes lanes, JobSessions sessions, JobStore jobs, ArtifactStore artifacts, TraceMode trace,
      ResumeFiles resumes, String workerId, PageRequestGuard guard, WorkerScratch scratch, SubmitCheck submitCheck) {
    this.submitCheck = submitCheck;
    this.guard = guard;
    this.scratch = scratch;
    this.workerId = workerId;
    this.lanes = lanes;
    this.sessions = sessions;
    this.jobs = jobs;
    this.artifacts = artifacts;
    this.trace = trace;
    this.resumes = resumes;
  }

  @Override
  public StepResult start(StepRequest request) {
    String jobId = request.jobId();
    sessions.close(jobId); // a session left by an earlier attempt of this job
    JobSpec stored = awaitDatabase(jobId, "reading the job", SPEC_PATIENCE_MS,
        () -> jobs.spec(UUID.fromString(jobId), null));
    int lane = sessions.laneForNewSession();
    // the résumé downloads while the lane opens the page; the session owns the file once it has it
    CompletableFuture<Optional<ResumeFile>> resumeFetch = Engines.needsResume(stored.jobType())
        ? CompletableFuture.supplyAsync(() -> resumes.resolve(stored.inputData()), FETCHES)
        : null;
    java.util.concurrent.atomic.AtomicBoolean resumeTaken = new java.util.concurrent.atomic.AtomicBoolean();
    try {
      return run(lane, jobId, request.timeoutSeconds(), request.holdSeconds(), browser -> {
        JobSessions.Session session = openSession(browser, lane, jobId, request.timeoutSeconds());
        EngineContext ctx = context(session);
        ctx.progress("navigating", 5, "Opening " + request.url());
        Response response;
        try {
          response = session.page.navigate(request.url());
        } catch (RuntimeException e) {
          // a job without its résumé fails for that, whatever the page did
          Outcome.Failed noResume = resumeFetch == null ? null : resumeFailure(resumeFetch);
          if (noResume != null) {
            return noResume;
          }
          throw e;
        }
        JobSpec spec = stored;
        if (resumeFetch != null) {
          Outcome.Failed failed = resumeFailure(resumeFetch);
          if (failed != null) {
            return failed;
          }
          Optional<ResumeFile> resume = resumeFetch.join();
          resumeTaken.set(true);
          if (resume.isPresent()) {
            session.resumeFile = resume.get().path();
            session.resumeHandle = resume.get();
            spec = new JobSpec(stored.jobId(), stored.jobType(), stored.targetUrl(), stored.taskDescription(),
                stored.inputData(), resume.get().path());
          }
        }
        int status = response == null ? 0 : response.status();
        session.httpStatus = status;
        // the apply engine looks for blockers itself once the page has settled; a refused page
        // (challenges come with 403, 429, 503) is looked at here either way
        if (!Engines.checksBlockers(stored.jobType()) || status >= 400) {
          Optional<BlockerDetector.Blocker> blocker = DETECTOR.detect(session.page);
          if (blocker.isPresent()) {
            return new Outcome.Blocked(blocker.get());
          }
        }
        if (status >= 400) {
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("http_status", status);
          return new Outcome.Failed(ErrorCode.PAGE_LOAD_FAILED.code(), "HTTP " + status + " from " + session.page.url(),
              details);
        }
        session.engine = Engines.create(spec, ctx, status);
        return session.engine.proceed(session.page);
      });
    } finally {
      if (resumeFetch != null && !resumeTaken.get()) {
        // the step ended before the session took the file: delete the fetched copy when it is there
        resumeFetch.thenAccept(r -> r.ifPresent(BrowserActivitiesImpl::closeQuietly));
      }
    }
  }

  /** Downloads of résumés, beside the lanes (I/O bound). */
  private static final java.util.concurrent.ExecutorService FETCHES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "gh-resume-fetch");
    t.setDaemon(true);
    return t;
  });

  /** The job's failure when its résumé could not be had (waits for the download), else null. */
  private static Outcome.Failed resumeFailure(CompletableFuture<Optional<ResumeFile>> fetch) {
    try {
      fetch.join();
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof ResumeUnavailableException r) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("resume_source", r.source());
        return new Outcome.Failed(r.errorCode(), r.getMessage(), details);
      }
      throw e.getCause() instanceof RuntimeException re ? re : e;
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      log.debug("résumé copy not deleted: {}", e.toString());
    }
  }

  @Override
  public StepResult resume(ResumeStep request) {
    StepRequest step = request.step();
    JobSessions.Session session = held(step.jobId());
    return run(session.lane, step.jobId(), step.timeoutSeconds(), step.holdSeconds(), browser -> {
      session.page.context().setDefaultNavigationTimeout(step.timeoutSeconds() * 1000.0);
      ResolutionInjector.Applied applied = ResolutionInjector.apply(session.page, request.action());
      EngineContext ctx = context(session);
      ctx.event("hitl_resolution_applied", applied.note(),
          Map.of("resolution_type", applied.resolutionType(), "injected", applied.injected()));
      Optional<BlockerDetector.Blocker> blocker = DETECTOR.detect(session.page);
      if (blocker.isPresent()) {
        // a widget the human just solved may take a moment to go away
        session.page.waitForTimeout(1000);
        blocker = DETECTOR.detect(session.page);
      }
      if (blocker.isPresent()) {
        return new Outcome.Blocked(blocker.get());
      }
      if (session.engine == null) {
        session.engine = Engines.create(jobs.spec(UUID.fromString(step.jobId()), null), ctx, session.httpStatus);
      }
      Map<String, Object> answers = ResolutionInjector.answers(request.action());
      if (!answers.isEmpty()) {
        session.engine.addAnswers(answers);
        ctx.event("hitl_answers_given", answers.size() + " answer(s) from the human for the form's questions",
            Map.of("questions", new java.util.ArrayList<>(answers.keySet())));
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
    JobSessions.Session session = held(request.jobId());
    byte[] token = taskToken();
    StepResult result = run(session.lane, request.jobId(), request.timeoutSeconds(), request.holdSeconds(),
        browser -> {
          confirmSubmit(request.jobId(), token);
          return session.engine.submit(session.page);
        });
    if (result.is(StepResult.DONE)) {
      recordSubmission(request.jobId(), result);
    }
    return result;
  }

  /** How long the record made before a final submit waits for PostgreSQL to be back. */
  static final long MARK_PATIENCE_MS = 60_000;

  /** A submit record made before a final submit: its event, whether this step set it, whether it had to wait. */
  record Mark(String eventId, boolean fresh, boolean waited) {}

  /**
   * Records the final submit before it is clicked (the click waits for the record: no record, no
   * click). While PostgreSQL is down or restarting the record is tried again, on the lane, for up to
   * {@link #MARK_PATIENCE_MS} (the step keeps heartbeating meanwhile), rather than failing an
   * attempt whose form is complete.
   */
  private Mark markSubmitting(String jobId) {
    String eventId = UUID.randomUUID().toString();
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MARK_PATIENCE_MS);
    boolean waited = false;
    while (true) {
      try {
        return new Mark(eventId, jobs.markSubmitting(UUID.fromString(jobId), eventId, workerId), waited);
      } catch (RuntimeException e) {
        if (!DatabaseOutage.is(e) || System.nanoTime() - until > 0 || Thread.currentThread().isInterrupted()) {
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
      boolean done = jobs.withdrawSubmitting(UUID.fromString(jobId), mark.eventId(), UUID.randomUUID().toString(),
          workerId, why);
      log.warn("job {}: final submit not clicked ({}); record {}", jobId, why, done ? "taken back" : "kept");
    } catch (RuntimeException e) {
      log.warn("job {}: final submit not clicked ({}); its record stays: {}", jobId, why, e.toString());
    }
  }

  /** How long a submitted application's confirmation is retried while PostgreSQL is away. */
  static final long RECORD_PATIENCE_MS = 180_000;

  /**
   * Stores the confirmation of an application that went out. It must not be lost to a database
   * restart (the job would then end {@code submission_unconfirmed}): while PostgreSQL cannot be
   * reached it is tried again, heartbeating, for up to {@link #RECORD_PATIENCE_MS}.
   */
  private void recordSubmission(String jobId, StepResult result) {
    awaitDatabase(jobId, "the submission's confirmation", RECORD_PATIENCE_MS, () -> {
      jobs.recordSubmission(UUID.fromString(jobId), result.resultData(), result.summary(), result.screenshotUrls());
      return null;
    });
  }

  /** How long a step that starts waits for PostgreSQL to read its job. */
  static final long SPEC_PATIENCE_MS = 60_000;

  private static final java.util.concurrent.ExecutorService DB_CALLS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "gh-step-db");
    t.setDaemon(true);
    return t;
  });

  /**
   * A database call of a step's own thread, made so that a PostgreSQL restart does not cost the
   * step: the call runs beside the activity's thread, which heartbeats to Temporal while it waits (a
   * call waits up to the pool's 10 s for a connection, as long as the step's heartbeat timeout), and
   * is tried again while the database cannot be reached, for up to {@code patienceMs}. Other
   * failures, and the outage past that, are thrown.
   */
  private <T> T awaitDatabase(String jobId, String what, long patienceMs, java.util.function.Supplier<T> call) {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMs);
    while (true) {
      Future<T> attempt = DB_CALLS.submit(call::get);
      try {
        while (true) {
          try {
            return attempt.get(HEARTBEAT_EVERY_MS, TimeUnit.MILLISECONDS);
          } catch (TimeoutException stillWaiting) {
            heartbeatQuietly();
          }
        }
      } catch (InterruptedException e) {
        attempt.cancel(true);
        Thread.currentThread().interrupt();
        throw Activity.wrap(e);
      } catch (ExecutionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException re ? re : Activity.wrap(e.getCause());
        if (!DatabaseOutage.is(cause) || System.nanoTime() - until > 0) {
          throw cause;
        }
        log.warn("job {}: {} waits for the database: {}", jobId, what, DatabaseOutage.describe(cause));
        long pause = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() - pause < 0) {
          heartbeatQuietly();
          try {
            Thread.sleep(HEARTBEAT_EVERY_MS);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(ie);
          }
        }
      }
    }
  }

  /** A heartbeat to Temporal from the activity's thread, if it is in one; failures are left to the next. */
  private static void heartbeatQuietly() {
    try {
      Activity.getExecutionContext().heartbeat(null);
    } catch (RuntimeException e) {
      // not in an activity (tests), or cancelled: the step's result says the rest
    }
  }

  @Override
  public void close(String jobId) {
    sessions.close(jobId);
  }

  private JobSessions.Session held(String jobId) {
    JobSessions.Session session = sessions.get(jobId).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "This worker no longer holds the job's browser session (restarted, or the session expired)",
        ErrorCode.WORKER_LOST.code()));
    session.pausedFor = null; // a step works on it again: no more input from a live view
    return session;
  }


  private JobSessions.Session openSession(Browser browser, int lane, String jobId, int timeoutSeconds) {
    BrowserLanes.Fresh fresh = lanes.freshContext(lane, browser);
    BrowserContext context = fresh.context();
    context.setDefaultTimeout(Math.min(ACTION_TIMEOUT_MS, timeoutSeconds * 1000L));
    context.setDefaultNavigationTimeout(timeoutSeconds * 1000.0);
    PageQuiet.track(context);
    watches.put(context, guard.install(context)); // before the first navigation
    if (trace != TraceMode.OFF) {
      context.tracing().start(new Tracing.StartOptions().setName(JobSessions.traceName(jobId))
          .setScreenshots(false).setSnapshots(trace == TraceMode.FULL));
    }
    JobSessions.Session session = sessions.open(jobId, lane, context, fresh.page());
    session.targetId = fresh.targetId();
    SecretTyping.watch(context, () -> endTraceBeforeSecret(session));
    return session;
  }

  /**
   * Right before the first secret is typed into the job's page: the trace is saved as it stands and
   * tracing stops for the rest of the job. Stopping (not pausing) matters: a paused trace still
   * records the network (the sign-in POST's body) into its files on disk, and its DOM snapshots
   * would hold the typed value. If the trace cannot be ended, it is dropped and the session is not
   * traced any more; if even that fails, the secret is not typed (the step fails).
   */
  private void endTraceBeforeSecret(JobSessions.Session session) {
    endTrace(session, "The trace ends here: a secret (one-time code, password) is typed next");
  }

  /**
   * Ends the trace as {@link #endTraceBeforeSecret} does, with {@code why} as the event's message.
   * Also used when the job pauses for a human: from then on a person may type into the page through
   * the live view — a code, a password — outside Playwright, where no secret watch can see it coming.
   */
  private void endTrace(JobSessions.Session session, String why) {
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
      log.warn("job {}: the trace could not be saved before a secret was typed; it is dropped: {}",
          session.jobId, e.toString());
      deleteQuietly(zip);
      session.context.tracing().stop(); // throws if tracing goes on: then the secret is not typed
      session.traceEnded = true;
    }
    context(session).event("trace_ended", why, Map.of());
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

  /** The engine's view of the activity: artifacts, progress, blocker checks and events. */
  private EngineContext context(JobSessions.Session session) {
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
        return saveLater(jobId, kind, name, contentType, bytes);
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
        JobEvent e = new JobEvent(UUID.randomUUID().toString(), session.jobId, type, null, null, message,
            metadata == null ? Map.of() : metadata, "engine");
        writes.submit(session.jobId, () -> jobs.event(e));
      }
    };
  }

  /**
   * Runs a step's work on the session's lane, then turns the engine's outcome into the step's
   * result: done and failed close the session (keeping its trace), the others keep the page open for
   * the workflow's next step.
   */
  private StepResult run(int lane, String jobId, int timeoutSeconds, int holdSeconds,
      Function<Browser, Outcome> work) {
    java.util.concurrent.atomic.AtomicBoolean submitted = new java.util.concurrent.atomic.AtomicBoolean();
    byte[] token = taskToken();
    Finished finished;
    try {
      finished = onLane(lane, jobId, timeoutSeconds,
          browser -> work(browser, jobId, holdSeconds, work, submitted, token));
    } finally {
      // what the result names is stored before anyone reads it; while the database is away this
      // waits (bounded), heartbeating so that Temporal does not give the step up meanwhile
      writes.flush(jobId, 60, BrowserActivitiesImpl::heartbeatQuietly);
    }
    StepResult result = result(finished);
    if (submitted.get() && result.is(StepResult.DONE)) {
      recordSubmission(jobId, result);
    }
    return result;
  }

  /** A step's lane work: the engine's part, the submit in place, the session kept or ended. */
  private Finished work(Browser browser, String jobId, int holdSeconds, Function<Browser, Outcome> work,
      java.util.concurrent.atomic.AtomicBoolean submitted, byte[] token) {
    Outcome outcome;
    try {
      outcome = work.apply(browser);
      if (outcome instanceof Outcome.ReadyToSubmit) {
        // the form is complete: record the submit in Postgres (committed) before clicking it, so
        // that any later attempt of this job reports the recorded outcome instead of submitting
        // again (the claim reads it), then click in the same step, on the same page
        JobSessions.Session session = sessions.get(jobId).orElseThrow();
        // nothing goes out for a workflow that is gone or cancelled (Temporal restarted, the job
        // was terminated): its application would be sent with nobody to record it
        confirmSubmit(jobId, token);
        writes.flush(jobId, 60); // the page's events so far come before submit_started
        Mark mark = markSubmitting(jobId);
        try {
          if (mark.waited()) {
            confirmSubmit(jobId, token); // it waited for the database: still wanted?
          }
          if (BrowserLanes.currentWorkAborted()) {
            throw new java.util.concurrent.CancellationException("the step was stopped before its final submit");
          }
        } catch (SubmitWithheld | java.util.concurrent.CancellationException notClicked) {
          withdraw(jobId, mark, notClicked instanceof SubmitWithheld w
              ? "the job's workflow is " + w.verdict.name().toLowerCase(java.util.Locale.ROOT)
              : "the step was stopped first");
          throw notClicked;
        }
        submitted.set(true);
        outcome = session.engine.submit(session.page);
      }
    } catch (RuntimeException e) {
      JobSessions.Session session = sessions.get(jobId).orElse(null);
      Outcome.Failed blocked = session == null ? null : blockedNavigation(session);
      if (blocked != null) {
        outcome = blocked; // the refused address is the cause, whatever the page then threw
      } else {
        String shot = session == null ? null : screenshotQuietly(session, "failure.png");
        if (session != null) {
          endSession(session);
        }
        throw new StepException(e, shot);
      }
    }
    JobSessions.Session session = sessions.get(jobId).orElseThrow();
    Outcome.Failed blocked = blockedNavigation(session);
    if (blocked != null) {
      // no screenshot, title or URL of a page that a refused redirect may have filled
      blankQuietly(session);
      String traceUrl = endSession(session);
      return new Finished(blocked, null, "about:blank", "", session.httpStatus, session.progress, traceUrl);
    }
    noteBlockedRequests(session);
    if (outcome instanceof Outcome.Blocked || outcome instanceof Outcome.NeedsAnswers) {
      String shot = screenshotQuietly(session, "needs-human.png");
      sessions.hold(session, holdSeconds);
      session.pausedFor = outcome instanceof Outcome.Blocked b ? b.blocker().reason().code() : "screening_question";
      session.humanHeld = true;
      try {
        endTrace(session, "The trace ends here: the job waits for a human, who may type a code or a password"
            + " into its page through the live view");
      } catch (RuntimeException e) {
        log.warn("job {}: the trace could not be ended at the pause: {}", jobId, e.toString());
      }
      return new Finished(outcome, shot, session.page.url(), null, session.httpStatus, session.progress, null);
    }
    if (outcome instanceof Outcome.ReadyToSubmit) {
      sessions.hold(session, holdSeconds);
      return new Finished(outcome, null, session.page.url(), null, session.httpStatus, session.progress, null);
    }
    String shot = outcome instanceof Outcome.Failed ? screenshotQuietly(session, "failure.png") : null;
    String url = session.page.url();
    String title = titleQuietly(session.page);
    Progress progress = session.progress;
    String traceUrl = endSession(session);
    return new Finished(outcome, shot, url, title, session.httpStatus, progress, traceUrl);
  }

  /**
   * The job's failure when one of its navigations or redirects was refused by the outbound URL
   * policy ({@code network_error}, {@code error_details.reason: blocked_address}), else null.
   */
  private Outcome.Failed blockedNavigation(JobSessions.Session session) {
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
    return new Outcome.Failed(ErrorCode.NETWORK_ERROR.code(),
        "Refused to load " + first.url() + ": " + first.refusal().message(), details);
  }

  /** A job event for the page's requests the policy refused (the page itself went on). */
  private void noteBlockedRequests(JobSessions.Session session) {
    PageRequestGuard.Watch watch = watches.get(session.context);
    List<PageRequestGuard.Blocked> blocked = watch == null ? List.of() : watch.unreported();
    if (blocked.isEmpty()) {
      return;
    }
    List<Map<String, Object>> list = blocked.stream()
        .map(b -> Map.<String, Object>of("url", b.url(), "refused", b.refusal().kind(), "message", b.refusal().message()))
        .toList();
    JobEvent e = new JobEvent(UUID.randomUUID().toString(), session.jobId, "requests_blocked", null, null,
        blocked.size() + " request(s) of the page refused by the outbound URL policy",
        Map.of("reason", OutboundUrlPolicy.BLOCKED_ADDRESS, "requests", list), "browser");
    writes.submit(session.jobId, () -> jobs.event(e));
  }

  private static void blankQuietly(JobSessions.Session session) {
    try {
      session.page.navigate("about:blank");
    } catch (RuntimeException e) {
      log.debug("job {}: page not blanked: {}", session.jobId, e.toString());
    }
  }

  /** What a step's lane work hands back to the activity thread. */
  private record Finished(
      Outcome outcome, String screenshotUrl, String pageUrl, String pageTitle, int httpStatus, Progress progress,
      String traceUrl) {}

  private static StepResult result(Finished f) {
    Outcome o = f.outcome();
    if (o instanceof Outcome.Done done) {
      Map<String, Object> data = new LinkedHashMap<>(done.resultData());
      // what every job reports, whatever its engine
      data.putIfAbsent("page_title", f.pageTitle());
      data.putIfAbsent("final_url", f.pageUrl());
      data.putIfAbsent("http_status", f.httpStatus());
      if (f.traceUrl() != null) {
        data.putIfAbsent("trace_url", f.traceUrl());
      }
      if (!done.screenshotUrls().isEmpty()) {
        data.putIfAbsent("screenshot_url", done.screenshotUrls().get(done.screenshotUrls().size() - 1));
      }
      return new StepResult(StepResult.DONE, data, done.summary(), done.screenshotUrls(), null,
          new Progress("completed", 100, f.progress().actionsCompleted()));
    }
    if (o instanceof Outcome.Blocked blocked) {
      BlockerDetector.Blocker b = blocked.blocker();
      Interaction why = new Interaction(b.reason().code(), b.description(), f.screenshotUrl(), f.pageUrl(),
          b.confidence(), b.signals(), List.of());
      return new StepResult(StepResult.BLOCKED, Map.of(), null, shots(f), why, f.progress());
    }
    if (o instanceof Outcome.NeedsAnswers needs) {
      String description = needs.questions().size() == 1
          ? "A required question has no answer: " + needs.questions().get(0)
          : needs.questions().size() + " required questions have no answer";
      Interaction why = new Interaction("screening_question", description, f.screenshotUrl(), f.pageUrl(), 1.0,
          List.of(), needs.questions());
      return new StepResult(StepResult.NEEDS_ANSWERS, Map.of(), null, shots(f), why, f.progress());
    }
    if (o instanceof Outcome.ReadyToSubmit ready) {
      return new StepResult(StepResult.READY_TO_SUBMIT, ready.filled(), null, List.of(), null, f.progress());
    }
    Outcome.Failed failed = (Outcome.Failed) o;
    Map<String, Object> details = new LinkedHashMap<>(failed.details());
    if (f.screenshotUrl() != null) {
      details.putIfAbsent("screenshot_url", f.screenshotUrl());
    }
    if (details.get("result_data") instanceof Map<?, ?> work) {
      // the engine's account of a failed job, with every screenshot of it (the failure's last)
      Map<String, Object> data = new LinkedHashMap<>();
      work.forEach((k, v) -> data.put(String.valueOf(k), v));
      List<Object> shots = new ArrayList<>(data.get("screenshot_urls") instanceof List<?> l ? l : List.of());
      if (f.screenshotUrl() != null && !shots.contains(f.screenshotUrl())) {
        shots.add(f.screenshotUrl());
      }
      data.put("screenshot_urls", shots);
      if (f.traceUrl() != null) {
        data.putIfAbsent("trace_url", f.traceUrl());
      }
      details.put("result_data", data);
    }
    details.putIfAbsent("page_url", f.pageUrl());
    if (f.traceUrl() != null) {
      details.putIfAbsent("trace_url", f.traceUrl());
    }
    throw ApplicationFailure.newNonRetryableFailure(failed.message(), failed.code(), details);
  }

  private static List<String> shots(Finished f) {
    return f.screenshotUrl() == null ? List.of() : List.of(f.screenshotUrl());
  }

  /**
   * Closes a session from its lane, keeping the job's trace as an artifact first: the trace as it
   * stood before the job's first secret was typed, or else the whole. A trace that nevertheless
   * holds a secret typed in this job (the last check) is not kept.
   */
  private String endSession(JobSessions.Session session) {
    String traceUrl = null;
    if (trace != TraceMode.OFF) {
      Path zip = session.traceZip;
      try {
        if (!session.traceEnded) {
          zip = newTempFile();
          session.context.tracing().stop(new Tracing.StopOptions().setPath(zip));
        }
        byte[] bytes = zip == null ? new byte[0] : Files.readAllBytes(zip);
        if (bytes.length > 0 && SecretTyping.zipHoldsAny(bytes, SecretTyping.secrets(session.context))) {
          log.warn("job {}: its trace holds a secret typed in the job; the trace is not kept", session.jobId);
          context(session).event("trace_withheld", "The trace was not kept: it recorded a secret typed in the job",
              Map.of());
        } else if (bytes.length > 0) {
          traceUrl = saveLater(UUID.fromString(session.jobId), "trace", "trace.zip", "application/zip", bytes);
        }
      } catch (Exception e) {
        log.debug("job {}: trace not kept: {}", session.jobId, e.toString());
      } finally {
        deleteQuietly(zip);
        session.traceZip = null;
      }
    }
    sessions.closeAfterWork(session);
    return traceUrl;
  }

  /** Stores an artifact after the job's earlier writes, off the lane; its URL is known at once. */
  private String saveLater(UUID jobId, String kind, String name, String contentType, byte[] bytes) {
    UUID id = UUID.randomUUID();
    writes.submit(jobId.toString(), () -> artifacts.save(id, jobId, kind, name, contentType, bytes));
    return artifacts.url(id);
  }

  private static String titleQuietly(Page page) {
    try {
      return page.title();
    } catch (RuntimeException e) {
      return "";
    }
  }

  private String screenshotQuietly(JobSessions.Session session, String name) {
    try {
      UUID id = artifacts.save(UUID.fromString(session.jobId), "screenshot", name, "image/png",
          SecretTyping.screenshot(session.page, new Page.ScreenshotOptions().setTimeout(5_000)));
      String url = artifacts.url(id);
      session.screenshots.add(url);
      return url;
    } catch (RuntimeException e) {
      return null; // the page or browser is gone
    }
  }

  /** A failure inside lane work, with the screenshot taken of the page as it failed. */
  private static final class StepException extends RuntimeException {
    final String screenshotUrl;

    StepException(RuntimeException cause, String screenshotUrl) {
      super(cause.getMessage(), cause, false, false);
      this.screenshotUrl = screenshotUrl;
    }
  }

  /** Jobs whose row heartbeat is being written. */
  private final java.util.Set<UUID> mirroring = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static final java.util.concurrent.ExecutorService MIRROR = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "gh-row-heartbeat");
    t.setDaemon(true);
    return t;
  });

  /**
   * The row's {@code last_heartbeat}, written beside the step (at most one write per job at a time).
   * It is a mirror for the monitoring: while PostgreSQL is down or restarting it waits out the pool's
   * timeout and fails, and that must neither fail the step (its lane would go on alone, and might
   * submit for an attempt the workflow has already given up) nor hold up the step's heartbeats to
   * Temporal.
   */
  private void mirrorHeartbeat(UUID id) {
    if (!mirroring.add(id)) {
      return;
    }
    try {
      MIRROR.execute(() -> {
        try {
          jobs.heartbeat(id);
        } catch (RuntimeException e) {
          log.debug("job {}: row heartbeat not written: {}", id, e.toString());
        } finally {
          mirroring.remove(id);
        }
      });
    } catch (RuntimeException e) {
      mirroring.remove(id);
    }
  }

  /** Runs work on a lane, heartbeating while it runs, mapping failures to error codes. */
  private <T> T onLane(int lane, String jobId, int timeoutSeconds, Function<Browser, T> work) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    UUID id = UUID.fromString(jobId);
    BrowserLanes.LaneTask<T> task = lanes.submitTo(lane, work);
    Future<T> future = task.future();
    mirrorHeartbeat(id);
    long lastDbHeartbeat = System.nanoTime();
    // the engine's own page timeouts fire first; this stops a step that ignores them
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds + 15L);
    while (true) {
      try {
        return future.get(HEARTBEAT_EVERY_MS, TimeUnit.MILLISECONDS);
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
          mirrorHeartbeat(id);
          lastDbHeartbeat = System.nanoTime();
        }
      } catch (InterruptedException e) {
        task.abort();
        Thread.currentThread().interrupt();
        throw Activity.wrap(e);
      } catch (java.util.concurrent.CancellationException e) {
        throw ApplicationFailure.newNonRetryableFailure("browser step aborted", ErrorCode.BROWSER_CRASHED.code());
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        String shot = null;
        if (cause instanceof StepException) {
          shot = ((StepException) cause).screenshotUrl;
          cause = cause.getCause();
        }
        if (cause instanceof SubmitWithheld withheld) {
          throw withheld.failure(ctx);
        }
        if (cause instanceof ApplicationFailure) {
          throw (ApplicationFailure) cause;
        }
        throw classify(cause, shot);
      }
    }
  }

  static ApplicationFailure classify(Throwable cause) {
    return classify(cause, null);
  }

  /** The running activity's task token (null outside an activity, as in some tests). */
  private static byte[] taskToken() {
    try {
      return Activity.getExecutionContext().getTaskToken();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** How long a submit waits for Temporal to answer whether it is still wanted. */
  static final long SUBMIT_CHECK_PATIENCE_MS = 10_000;

  /**
   * Right before a final submit, from the lane: asks Temporal whether the step's workflow still
   * runs and wants it (a synchronous heartbeat); throws {@link SubmitWithheld} otherwise. Temporal
   * out of reach is asked again for a few seconds, then the submit is withheld too: the job, if its
   * workflow lives, is tried again from a clean page (nothing was submitted).
   */
  private void confirmSubmit(String jobId, byte[] token) {
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
    log.warn("job {}: final submit withheld, the workflow is {}", jobId, verdict.name().toLowerCase(java.util.Locale.ROOT));
    JobEvent e = new JobEvent(UUID.randomUUID().toString(), jobId, "submit_withheld", null, null,
        "The final submit was not clicked: the job's workflow is " + verdict.name().toLowerCase(java.util.Locale.ROOT),
        Map.of("worker_id", workerId, "verdict", verdict.name().toLowerCase(java.util.Locale.ROOT)), "engine");
    writes.submit(jobId, () -> jobs.event(e));
    throw new SubmitWithheld(verdict);
  }

  /** A final submit that was not clicked because the workflow no longer wants it. */
  static final class SubmitWithheld extends RuntimeException {
    final SubmitCheck.Verdict verdict;

    SubmitWithheld(SubmitCheck.Verdict verdict) {
      super("final submit withheld: workflow " + verdict, null, false, false);
      this.verdict = verdict;
    }

    /** What the step ends with: cancelled as asked, or a failure nobody may be waiting for. */
    RuntimeException failure(ActivityExecutionContext ctx) {
      switch (verdict) {
        case CANCELLED:
          return new io.temporal.client.ActivityCanceledException(ctx.getInfo());
        case GONE:
          return ApplicationFailure.newNonRetryableFailure(
              "The job's workflow is gone; the final submit was not clicked", ErrorCode.WORKFLOW_LOST.code());
        default:
          return ApplicationFailure.newNonRetryableFailure(
              "Temporal could not confirm the job before its final submit; nothing was submitted",
              ErrorCode.WORKER_LOST.code());
      }
    }
  }

  static ApplicationFailure classify(Throwable cause, String screenshotUrl) {
    ErrorCode code;
    if (cause instanceof BrowserUnavailableException) {
      code = ErrorCode.BROWSER_UNAVAILABLE;
    } else if (cause instanceof TimeoutError) {
      code = ErrorCode.TIMEOUT;
    } else if (cause instanceof PlaywrightException && String.valueOf(cause.getMessage()).contains("net::ERR_")) {
      code = ErrorCode.NETWORK_ERROR;
    } else if (cause instanceof PlaywrightException && String.valueOf(cause.getMessage()).contains("closed")) {
      code = ErrorCode.BROWSER_CRASHED;
    } else {
      code = ErrorCode.INTERNAL_ERROR;
      log.warn("browser step failed unexpectedly", cause);
    }
    Map<String, Object> details = new LinkedHashMap<>();
    if (screenshotUrl != null) {
      details.put("screenshot_url", screenshotUrl);
    }
    return ApplicationFailure.newNonRetryableFailureWithCause(firstLine(cause), code.code(), null, details);
  }

  private static final java.util.regex.Pattern DRIVER_MESSAGE = java.util.regex.Pattern.compile("message='([^\\n]*)");

  /**
   * What happened, in one line: Playwright's driver errors read {@code Error { message='net::… at
   * url' name=… stack=… }}, others carry a multi-line call log after their first line.
   */
  static String firstLine(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    java.util.regex.Matcher driver = DRIVER_MESSAGE.matcher(message);
    if (driver.find()) {
      return driver.group(1).strip();
    }
    return message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(message);
  }
}
