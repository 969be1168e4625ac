package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.BrowserActivitiesImpl;
import io.ghosthands.activities.browser.BrowserLanes;
import io.ghosthands.activities.browser.JobSessions;
import io.ghosthands.activities.browser.LaneGate;
import io.ghosthands.activities.browser.WorkerScratch;
import io.ghosthands.activities.callback.CallbackActivitiesImpl;
import io.ghosthands.activities.engine.resumefile.ResumeFiles;
import io.ghosthands.workflows.JobWorkflow;
import io.ghosthands.activities.store.ArtifactStore;
import io.ghosthands.activities.store.JobStore;
import io.ghosthands.activities.store.JobStoreActivitiesImpl;
import io.ghosthands.workflows.JobWorkflowImpl;
import io.ghosthands.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker process: polls the shared queue, its own {@code gh-worker-<id>} queue when it was
 * given an id, and its private session queue for the browser steps of the jobs it claimed. Owns the
 * browsers, the registry row and the status port. Independent of Spring, so tests can run several
 * in one JVM.
 *
 * <p>Stopping is two-phase. {@link #drain()} (first SIGTERM/Ctrl-C, or {@code POST /worker/drain})
 * stops polling the claim queues, so no new job is claimed here, while the job and session queues
 * stay polled: the jobs whose pages live here keep running their browser steps, and their workflow
 * tasks and mirror writes run here too (a lone worker's drained job still ends {@code completed}),
 * until none is left or the drain timeout passes. {@link #forceStop()}
 * (second signal) or the timeout stops hard: the browsers are killed first, so a workflow that
 * retries an interrupted job elsewhere never finds a second browser still working on it.
 */
public final class WorkerRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);
  private static final int REGISTRY_HEARTBEAT_SECONDS = 15;

  /** {@code GH_DRAIN_TIMEOUT}'s default. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

  private final WorkerSettings settings;
  private final WorkerHost machine;
  private final String sessionQueue;
  private final List<String> jobQueues;
  private final BrowserLanes lanes;
  // which lanes are spoken for: the claim queues are polled only for a free one
  private final LaneGate laneGate;
  // this worker's private temp folder (0700): its browsers' temp files and the trace zips
  private final WorkerScratch scratch;
  private final JobSessions sessions;
  // fetches the jobs' résumés; holds the S3 client when the store is S3
  private final ResumeFiles resumes;
  // jobFactory runs the job workflows; stepFactory runs the activities: the browser steps on the
  // session queue and the mirror writes and callbacks on the job queues. Both are stopped only when
  // the drain is over, steps first.
  private final WorkerFactory jobFactory;
  private final WorkerFactory stepFactory;
  // the claim queues: polled only while active, so a draining worker takes no new job
  private final WorkerFactory claimFactory;
  private final WorkerRegistry registry;
  private final WorkerStatusServer statusServer;
  private final LiveRelay liveRelay;
  private final ScheduledExecutorService heartbeats;
  private final Instant startedAt = Instant.now();
  private final AtomicInteger activeSteps = new AtomicInteger();
  private final Duration drainTimeout;
  private final CountDownLatch forced = new CountDownLatch(1);
  private volatile State state = State.ACTIVE;
  private volatile Instant drainStartedAt;
  private CompletableFuture<DrainOutcome> drained; // guarded by this
  // false until every poller is started; a drain asked for before then waits for it (guarded by this)
  private boolean started;
  // whether the claim pollers were ever started (guarded by this)
  private boolean claiming;

  /** Where a worker is in its life; the registry row says {@code active}, {@code draining} or {@code offline}. */
  public enum State {
    /** Polling every queue. */
    ACTIVE,
    /** Taking no new jobs; the browser steps of its jobs still run. */
    DRAINING,
    /** Drained: polling nothing, browsers closed, the status port still answers. */
    DRAINED,
    /** Stopped. */
    OFFLINE
  }

  /**
   * How a drain ended.
   *
   * @param clean every browser step and session of this worker finished before the timeout
   * @param stoppedJobs jobs still held when it stopped hard (their workflows retry them elsewhere)
   */
  public record DrainOutcome(boolean clean, int stoppedJobs) {}

  private WorkerRuntime(WorkerSettings settings, WorkflowClient client, DataSource dataSource, Duration drainTimeout,
      WorkerHost machine, java.util.function.IntConsumer statusPortOpened) {
    this.settings = settings;
    this.machine = machine;
    this.drainTimeout = drainTimeout;
    this.sessionQueue =
        TaskQueues.forSession(settings.workerId(), HexFormat.of().formatHex(SecureRandom.getSeed(4)));
    this.jobQueues =
        settings.named()
            ? List.of(TaskQueues.forWorker(settings.workerId()), TaskQueues.SHARED)
            : List.of(TaskQueues.SHARED);

    // removes the folders of workers killed before they could (kill -9), then makes this one's
    this.scratch = WorkerScratch.open(settings.workerId());
    this.lanes = new BrowserLanes(settings.browser(), settings.concurrency(), scratch);
    // a named worker takes the jobs aimed at it before the shared pool's
    this.laneGate = new LaneGate(settings.concurrency(),
        settings.named() ? TaskQueues.claimsFor(settings.workerId()) : null);
    try {
      lanes.warmUp();
    } catch (RuntimeException e) {
      lanes.close();
      scratch.close();
      throw e;
    }

    JobStore jobs = new JobStore(dataSource);
    ArtifactStore artifacts =
        new ArtifactStore(
            dataSource,
            new io.ghosthands.activities.store.ArtifactLinks(
                settings.publicUrl(), settings.serviceKey(), java.time.Duration.ofDays(7)));
    // stopping a poller does not recall the long poll it has waiting on the server: a claim that
    // still arrives after the drain began is refused (retried for another worker)
    JobStoreActivitiesImpl store =
        new JobStoreActivitiesImpl(jobs, settings.workerId(), sessionQueue, settings.jobs().hitlTimeoutSeconds(),
            () -> state == State.ACTIVE, laneGate);
    CallbackActivitiesImpl callbacks =
        new CallbackActivitiesImpl(jobs, settings.serviceKey(), settings.jobs().callbackSecret(), settings.outbound(),
            settings.jobs().callbackKeyHosts())
            .withLiveLinks(new io.ghosthands.activities.live.LiveLinks(settings.publicUrl(), settings.serviceKey()));
    this.sessions = new JobSessions(lanes);
    try {
      // a download_url and its redirects are held to the same policy as the job's pages
      this.resumes = settings.jobs().resumeStorage().open(settings.outbound());
    } catch (RuntimeException e) {
      lanes.close();
      scratch.close();
      throw e;
    }
    log.info("worker {}: {}", settings.workerId(), settings.jobs().resumeStorage().describe(resumes));
    JobWorkflowImpl.Settings workflowSettings = settings.jobs().workflowSettings();
    Duration stickyScheduleToStart = StickyWork.scheduleToStartFor(client);

    // A workflow task of a job that is new to this worker only schedules the job's claim (on the
    // claim queues) or a timer, so a draining worker may run it: the claim goes elsewhere.
    this.jobFactory = WorkerFactory.newInstance(client);
    this.stepFactory = WorkerFactory.newInstance(client);
    this.claimFactory = WorkerFactory.newInstance(client);
    List<String> claimQueues =
        settings.named()
            ? List.of(TaskQueues.claimsFor(settings.workerId()), TaskQueues.SHARED_CLAIMS)
            : List.of(TaskQueues.SHARED_CLAIMS);
    for (String queue : claimQueues) {
      // a claim slot is a free browser lane (LaneGate): with every lane busy this worker does not
      // poll for claims at all, so no job waits here claimed-but-idle while another worker is free
      claimFactory
          .newWorker(
              queue,
              WorkerOptions.newBuilder()
                  .setMaxConcurrentActivityTaskPollers(1)
                  .setWorkerTuner(
                      new io.temporal.worker.tuning.CompositeTuner(
                          new io.temporal.worker.tuning.FixedSizeSlotSupplier<>(2),
                          new LaneSlotSupplier(laneGate, queue),
                          new io.temporal.worker.tuning.FixedSizeSlotSupplier<>(2),
                          new io.temporal.worker.tuning.FixedSizeSlotSupplier<>(2)))
                  .build())
          .registerActivitiesImplementations(store);
    }
    for (String queue : jobQueues) {
      Worker worker =
          jobFactory.newWorker(
              queue,
              WorkerOptions.newBuilder()
                  // a busy 2-core machine can stall a workflow thread past the 1 s default; that is
                  // load, not a deadlock, and failing the task would only add a retry round trip
                  .setDefaultDeadlockDetectionTimeout(5_000)
                  // regular activities are polled by stepFactory's worker below
                  .setLocalActivityWorkerOnly(true)
                  // at the end of a drain, let the jobs cached here finish their sticky tasks
                  .setStickyTaskQueueDrainTimeout(Duration.ofSeconds(5))
                  // zero (the embedded server) turns stickiness off; see StickyWork
                  .setStickyQueueScheduleToStartTimeout(stickyScheduleToStart)
                  .build());
      worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(workflowSettings));
      // the callbacks the API owes for jobs no worker claimed (see CallbackOutbox)
      worker.registerWorkflowImplementationFactory(
          io.ghosthands.workflows.CallbackWorkflow.class,
          () -> new io.ghosthands.workflows.CallbackWorkflowImpl(workflowSettings));
      worker.registerActivitiesImplementations(store, callbacks);
      // mirror writes and callbacks of any job on this queue: cheap, and still wanted while draining
      stepFactory.newWorker(queue).registerActivitiesImplementations(store, callbacks);
    }
    Worker session =
        stepFactory.newWorker(
            sessionQueue,
            WorkerOptions.newBuilder()
                // the claims are what is limited to the lanes (LaneGate); here every step of a job
                // held here must start at once, also a paused job's resume while the lanes are busy
                // (its lane runs it after the current work), else it would wait out its
                // schedule-to-start and be retried as worker_lost
                .setMaxConcurrentActivityExecutionSize(settings.concurrency() * 4 + 4)
                // cancellation reaches a step only on a heartbeat: send them promptly so a
                // cancelled job's browser stops within about a second
                .setMaxHeartbeatThrottleInterval(java.time.Duration.ofMillis(500))
                .setDefaultHeartbeatThrottleInterval(java.time.Duration.ofMillis(500))
                .build());
    session.registerActivitiesImplementations(
        new CountingBrowserActivities(
            new BrowserActivitiesImpl(lanes, sessions, jobs, artifacts, settings.jobs().trace(), resumes,
                settings.workerId(), new io.ghosthands.activities.net.PageRequestGuard(settings.outbound()), scratch,
                new TemporalSubmitCheck(client.getWorkflowServiceStubs(), client.getOptions().getNamespace(),
                    settings.workerId() + "/submit-check")),
            activeSteps, laneGate));

    this.registry = new WorkerRegistry(dataSource, settings.workerId());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("task_queues", jobQueues);
    meta.put("session_queue", sessionQueue);
    meta.put("concurrency", settings.concurrency());
    // the live-view relay: where the API reaches the pages of this worker's paused jobs
    this.liveRelay = new LiveRelay(WorkerStatusServer.bindAddress(settings.statusBind()), settings.serviceKey(), sessions,
        new io.ghosthands.activities.live.CdpPolicy(
            Boolean.parseBoolean(System.getenv().getOrDefault("GH_LIVE_ALLOW_EVALUATE", "false"))));
    liveRelay.open();
    settings.outbound().addOwnPort(liveRelay.port());
    meta.put("live_relay", "ws://" + advertisedHost(settings.statusBind(), machine) + ":" + liveRelay.port());
    registry.register(settings.named() ? settings.workerId() : null, WorkerSettings.host(), machine, meta);

    this.statusServer =
        new WorkerStatusServer(settings.statusBind(), settings.statusPort(), settings.serviceKey(), new StatusEndpoints());
    // a job's page or callback aimed at this port is refused (before any job can run here)
    settings.outbound().addOwnPort(statusServer.port());
    statusPortOpened.accept(statusServer.port());
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "worker-registry-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeats.scheduleWithFixedDelay(
        this::heartbeat, REGISTRY_HEARTBEAT_SECONDS, REGISTRY_HEARTBEAT_SECONDS, TimeUnit.SECONDS);

    stepFactory.start();
    jobFactory.start();
    synchronized (this) {
      started = true;
      if (drained == null) {
        claimFactory.start();
        claiming = true;
      } else {
        // a drain arrived while starting (the status port, a deregistration): it begins now, and
        // this worker never claims a job. Starting pollers it had already stopped would throw.
        beginDrain();
      }
    }
  }

  /** A worker with the default drain timeout of 30 s. */
  public static WorkerRuntime start(WorkerSettings settings, WorkflowClient client, DataSource dataSource) {
    return start(settings, client, dataSource, DEFAULT_DRAIN_TIMEOUT);
  }

  /**
   * Starts a worker: browsers first (a missing Chromium fails here), then polling.
   *
   * @param drainTimeout how long {@link #drain()} lets running browser steps finish ({@code GH_DRAIN_TIMEOUT})
   */
  public static WorkerRuntime start(
      WorkerSettings settings, WorkflowClient client, DataSource dataSource, Duration drainTimeout) {
    return start(settings, client, dataSource, drainTimeout, WorkerHost.UNKNOWN);
  }

  /**
   * Starts a worker that says where it runs ({@code machine}: in its registry row and on its status
   * port).
   */
  public static WorkerRuntime start(
      WorkerSettings settings, WorkflowClient client, DataSource dataSource, Duration drainTimeout,
      WorkerHost machine) {
    return start(settings, client, dataSource, drainTimeout, machine, port -> {});
  }

  /**
   * As above; {@code statusPortOpened} runs once the status port listens and before any poller
   * starts (tests use it to send requests to a worker that is still starting).
   */
  static WorkerRuntime start(
      WorkerSettings settings, WorkflowClient client, DataSource dataSource, Duration drainTimeout,
      WorkerHost machine, java.util.function.IntConsumer statusPortOpened) {
    WorkerRuntime runtime = new WorkerRuntime(settings, client, dataSource, drainTimeout, machine, statusPortOpened);
    log.info(
        "worker {} polling {} (session {}), {} browser lane(s), {}, status on {}:{}",
        settings.workerId(),
        runtime.jobQueues,
        runtime.sessionQueue,
        settings.concurrency(),
        settings.browser().describe(),
        settings.statusBind(),
        runtime.statusPort());
    return runtime;
  }

  public String workerId() {
    return settings.workerId();
  }

  public List<String> jobQueues() {
    return jobQueues;
  }

  public String sessionQueue() {
    return sessionQueue;
  }

  public int statusPort() {
    return statusServer.port();
  }

  /** The live-view relay's port (see {@link LiveRelay}). */
  public int liveRelayPort() {
    return liveRelay.port();
  }

  /**
   * The address the API uses to reach this worker's live relay: the bound address, or for a
   * wildcard bind the EC2 private address, else this host's address.
   */
  static String advertisedHost(String bind, WorkerHost machine) {
    java.net.InetAddress address = WorkerStatusServer.bindAddress(bind);
    String host;
    if (!address.isAnyLocalAddress()) {
      host = address.getHostAddress();
    } else if (machine.ec2Ip() != null && !machine.ec2Ip().isBlank()) {
      host = machine.ec2Ip();
    } else {
      try {
        host = java.net.InetAddress.getLocalHost().getHostAddress();
      } catch (java.net.UnknownHostException e) {
        host = "127.0.0.1";
      }
    }
    return host.contains(":") ? "[" + host + "]" : host;
  }

  /** The address the status port listens on ({@code GH_WORKER_BIND}). */
  java.net.InetAddress statusAddress() {
    return statusServer.address();
  }

  public State state() {
    return state;
  }

  /** The drain timeout this worker was started with. */
  public Duration drainTimeout() {
    return drainTimeout;
  }

  /**
   * What {@code GET /worker/status} answers: VALET reads {@code worker_id}, {@code active_jobs} (jobs
   * held: browser steps running or pages kept for a human), {@code is_draining} and
   * {@code uptime_ms}.
   */
  Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("worker_id", settings.workerId());
    status.put("status", registryStatus());
    status.put("is_draining", state != State.ACTIVE);
    status.put("ec2_instance_id", machine.ec2InstanceId());
    status.put("ec2_ip", machine.ec2Ip());
    status.put("task_queues", jobQueues);
    status.put("session_queue", sessionQueue);
    status.put("concurrency", settings.concurrency());
    status.put("max_concurrent", settings.concurrency());
    status.put("active_jobs", jobsHeld());
    status.put("running_steps", activeSteps.get());
    // browser lanes spoken for (running, just claimed, between steps); claims stop at concurrency
    status.put("lanes_held", laneGate.heldJobs());
    status.put("open_sessions", sessions.size());
    status.put("live_viewers", liveRelay.viewers());
    status.put("started_at", startedAt.toString());
    status.put("uptime_ms", Duration.between(startedAt, Instant.now()).toMillis());
    status.put("timestamp", Instant.now().toString());
    if (drainStartedAt != null) {
      status.put("drain_started_at", drainStartedAt.toString());
      status.put("drain_timeout_seconds", drainTimeout.toSeconds());
      // polling nothing any more; an operator stops the process
      status.put("drained", state == State.DRAINED || state == State.OFFLINE);
    }
    return status;
  }

  /** The contract's registry status: {@code active}, {@code draining} (also once drained) or {@code offline}. */
  private String registryStatus() {
    switch (state) {
      case ACTIVE:
        return "active";
      case OFFLINE:
        return "offline";
      default:
        return "draining";
    }
  }

  /**
   * Heartbeats the registry row. A worker whose row was set {@code offline} by a deregistration
   * drains: it finishes what it holds and takes no new job.
   */
  void heartbeat() {
    if (state == State.OFFLINE) {
      return;
    }
    try {
      boolean registered = registry.heartbeat(registryStatus());
      if (!registered && state == State.ACTIVE) {
        log.info("worker {} was deregistered: draining", settings.workerId());
        drain();
      }
    } catch (RuntimeException e) {
      log.warn("worker registry heartbeat failed: {}", e.getMessage());
    }
  }

  /** Browser steps running plus pages held between steps (e.g. paused for a human). */
  private int jobsHeld() {
    return Math.max(activeSteps.get(), sessions.size());
  }

  /**
   * Phase one of stopping: takes no new job from now on, lets the browser steps of the jobs this
   * worker holds finish for up to the drain timeout, then releases the browsers (hard, if the
   * timeout passed first). The registry row and {@code /worker/status} say {@code draining}; the
   * status port keeps answering. Idempotent: every call returns the same future. Called while the
   * worker is still starting, the drain is queued: it begins once the pollers it stops exist, and
   * the worker never claims a job.
   */
  public synchronized CompletableFuture<DrainOutcome> drain() {
    if (drained != null) {
      return drained;
    }
    drained = new CompletableFuture<>();
    if (state != State.ACTIVE) {
      drained.complete(new DrainOutcome(true, 0));
      return drained;
    }
    if (!started) {
      log.info("worker {}: drain asked for while starting; it begins once the worker is up", settings.workerId());
      return drained;
    }
    beginDrain();
    return drained;
  }

  /** Whether a drain was asked for before the worker finished starting and has not begun yet. */
  synchronized boolean drainQueued() {
    return drained != null && !started;
  }

  private synchronized void beginDrain() {
    drainStartedAt = Instant.now();
    state = State.DRAINING;
    // no new claims: jobs for the pool go to other workers, jobs aimed at this one wait for it.
    // The job and session queues stay polled so that the jobs held here finish here.
    if (claiming) {
      claimFactory.shutdown();
    }
    heartbeat();
    log.info("worker {} draining: no new jobs; {} job(s) held, up to {}s to finish",
        settings.workerId(), jobsHeld(), drainTimeout.toSeconds());
    Thread thread = new Thread(this::runDrain, "worker-drain");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Phase two: stops now. Starts the drain if needed and ends it at once: the browsers are killed,
   * so the running steps fail ({@code browser_crashed}) and their workflows retry the jobs on
   * another worker (or notice through the step's heartbeat timeout if this process is gone first).
   */
  public CompletableFuture<DrainOutcome> forceStop() {
    forced.countDown();
    return drain();
  }

  private void runDrain() {
    long deadline = System.nanoTime() + drainTimeout.toNanos();
    long nextMirrorCheck = 0;
    int running = 1;
    try {
      // pages waiting for a human stay (with their live view) until their pause ends
      while (System.nanoTime() - sessions.pausedHeldUntilNanos(deadline) < 0) { // the later of the two
        if (jobsHeld() == 0 && System.nanoTime() - nextMirrorCheck >= 0) {
          // the browser work is over; the jobs' last workflow tasks (mirror writes, callbacks) are
          // over once none of the jobs claimed here still reads running
          running = runningJobs();
          nextMirrorCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
          if (running == 0) {
            break;
          }
        }
        if (forced.await(200, TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int held = jobsHeld();
    boolean clean = held == 0;
    if (!clean) {
      log.warn("worker {}: {}; stopping {} job(s) hard, their workflows retry them elsewhere",
          settings.workerId(), forced.getCount() == 0 ? "told to stop now" : "drain timeout (" + drainTimeout.toSeconds() + "s) passed",
          held);
    } else if (running > 0) {
      log.info("worker {}: browser work done; {} job(s) still finishing their bookkeeping",
          settings.workerId(), running);
    }
    try {
      release(clean);
    } finally {
      state = State.DRAINED;
      log.info("worker {} drained{}", settings.workerId(), clean ? "" : " (hard stop)");
      synchronized (this) {
        drained.complete(new DrainOutcome(clean, held));
      }
    }
  }

  private int runningJobs() {
    try {
      return registry.runningJobs();
    } catch (RuntimeException e) {
      log.warn("worker {}: could not read its jobs: {}", settings.workerId(), e.getMessage());
      return 0;
    }
  }

  /** Stops both factories and closes the browsers; with {@code clean} false, kills them first. */
  private void release(boolean clean) {
    if (!clean) {
      // before anything else: no page may outlive the hard stop. The steps fail at once and report
      // it; the workflow tasks that follow still run here and requeue the jobs, whose retries are
      // claimed by other workers (this one refuses claims).
      lanes.killBrowsers();
    }
    stepFactory.shutdown();
    awaitQuietly(stepFactory, 5);
    if (!clean) {
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (runningJobs() > 0 && System.nanoTime() - until < 0) {
        sleep(200);
      }
    }
    stepFactory.shutdownNow();
    jobFactory.shutdownNow();
    synchronized (this) {
      if (claiming) {
        claimFactory.shutdownNow();
      }
    }
    awaitQuietly(jobFactory, 5);
    sessions.close();
    laneGate.close();
    lanes.close();
    resumes.close();
    scratch.close(); // the browsers' temp files, traces included
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitQuietly(WorkerFactory factory, int seconds) {
    try {
      factory.awaitTermination(seconds, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      log.warn("worker {} did not stop polling cleanly: {}", settings.workerId(), e.getMessage());
    }
  }

  /**
   * Drains for up to {@code drainSeconds} (forcing the rest), then stops the status port and marks
   * the registry row {@code offline}. After a drain this only does the latter.
   */
  public void stop(int drainSeconds) {
    CompletableFuture<DrainOutcome> drain;
    synchronized (this) {
      if (state == State.OFFLINE) {
        return;
      }
      drain = drain();
    }
    try {
      drain.get(drainSeconds, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      forceStop().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      forceStop().join();
    } catch (java.util.concurrent.ExecutionException e) {
      log.warn("worker {} drain failed: {}", settings.workerId(), e.getCause().toString());
    }
    synchronized (this) {
      if (state == State.OFFLINE) {
        return;
      }
      state = State.OFFLINE;
    }
    heartbeats.shutdownNow();
    statusServer.close();
    liveRelay.shutdown();
    try {
      registry.offline();
    } catch (RuntimeException e) {
      log.warn("could not mark worker {} offline: {}", settings.workerId(), e.getMessage());
    }
    log.info("worker {} stopped", settings.workerId());
  }

  @Override
  public void close() {
    stop(10);
  }

  private final class StatusEndpoints implements WorkerStatusServer.Endpoints {
    @Override
    public Map<String, Object> status() {
      return WorkerRuntime.this.status();
    }

    @Override
    public String health() {
      if (state != State.ACTIVE) {
        return "draining";
      }
      return activeSteps.get() == 0 ? "idle" : "busy";
    }

    @Override
    public int jobsHeld() {
      return WorkerRuntime.this.jobsHeld();
    }

    @Override
    public WorkerStatusServer.Drain drain() {
      boolean started;
      boolean queued;
      synchronized (WorkerRuntime.this) {
        started = drained == null && state == State.ACTIVE;
        WorkerRuntime.this.drain();
        queued = drainQueued();
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("worker_id", settings.workerId());
      // queued while starting: it is draining as far as the caller is concerned, and says why
      body.put("status", queued ? "draining" : registryStatus());
      if (queued) {
        body.put("starting", true);
      }
      body.put("active_jobs", jobsHeld());
      body.put("drain_timeout_seconds", drainTimeout.toSeconds());
      return new WorkerStatusServer.Drain(started, body);
    }
  }

  /**
   * Counts running browser steps for {@code /worker/health} and {@code /worker/status}, and tells the
   * {@link LaneGate} which lanes the jobs' steps hold.
   */
  private static final class CountingBrowserActivities implements io.ghosthands.workflows.activity.BrowserActivities {
    private final io.ghosthands.workflows.activity.BrowserActivities delegate;
    private final AtomicInteger active;
    private final LaneGate gate;

    CountingBrowserActivities(io.ghosthands.workflows.activity.BrowserActivities delegate, AtomicInteger active,
        LaneGate gate) {
      this.delegate = delegate;
      this.active = active;
      this.gate = gate;
    }

    private io.ghosthands.workflows.payload.StepResult counted(
        String jobId, java.util.function.Supplier<io.ghosthands.workflows.payload.StepResult> step) {
      active.incrementAndGet();
      gate.stepStarted(jobId);
      long hold = LaneGate.FINISH_HOLD_MS;
      try {
        io.ghosthands.workflows.payload.StepResult result = step.get();
        if (result != null && result.is(io.ghosthands.workflows.payload.StepResult.READY_TO_SUBMIT)) {
          hold = LaneGate.BETWEEN_STEPS_HOLD_MS; // the submit step comes next, on this page
        }
        return result;
      } finally {
        // done, failed or paused: the lane is free once the workflow records it (or the hold ends)
        gate.stepEnded(jobId, hold);
        active.decrementAndGet();
      }
    }

    @Override
    public io.ghosthands.workflows.payload.StepResult start(io.ghosthands.workflows.payload.StepRequest request) {
      return counted(request.jobId(), () -> delegate.start(request));
    }

    @Override
    public io.ghosthands.workflows.payload.StepResult resume(io.ghosthands.workflows.payload.ResumeStep request) {
      return counted(request.step().jobId(), () -> delegate.resume(request));
    }

    @Override
    public io.ghosthands.workflows.payload.StepResult submit(io.ghosthands.workflows.payload.StepRequest request) {
      return counted(request.jobId(), () -> delegate.submit(request));
    }

    @Override
    public void close(String jobId) {
      try {
        delegate.close(jobId);
      } finally {
        gate.release(jobId);
      }
    }
  }
}
