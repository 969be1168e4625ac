package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.BrowserActivitiesImpl;
import io.ghosthands.activities.browser.BrowserLanes;
import io.ghosthands.activities.browser.JobSessions;
import io.ghosthands.activities.callback.CallbackActivitiesImpl;
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
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class WorkerRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);
  private static final int REGISTRY_HEARTBEAT_SECONDS = 15;

  private final WorkerSettings settings;
  private final String sessionQueue;
  private final List<String> jobQueues;
  private final BrowserLanes lanes;
  private final JobSessions sessions;
  private final WorkerFactory factory;
  private final WorkerRegistry registry;
  private final WorkerStatusServer statusServer;
  private final ScheduledExecutorService heartbeats;
  private final Instant startedAt = Instant.now();
  private final AtomicInteger activeSteps = new AtomicInteger();
  private volatile boolean closed;

  private WorkerRuntime(WorkerSettings settings, WorkflowClient client, DataSource dataSource) {
    this.settings = settings;
    this.sessionQueue =
        TaskQueues.forSession(settings.workerId(), HexFormat.of().formatHex(SecureRandom.getSeed(4)));
    this.jobQueues =
        settings.named()
            ? List.of(TaskQueues.forWorker(settings.workerId()), TaskQueues.SHARED)
            : List.of(TaskQueues.SHARED);

    this.lanes = new BrowserLanes(settings.browser(), settings.concurrency());
    try {
      lanes.warmUp();
    } catch (RuntimeException e) {
      lanes.close();
      throw e;
    }

    JobStore jobs = new JobStore(dataSource);
    ArtifactStore artifacts =
        new ArtifactStore(
            dataSource,
            new io.ghosthands.activities.store.ArtifactLinks(
                settings.publicUrl(), settings.serviceKey(), java.time.Duration.ofDays(7)));
    JobStoreActivitiesImpl store =
        new JobStoreActivitiesImpl(jobs, settings.workerId(), sessionQueue, settings.jobs().hitlTimeoutSeconds());
    CallbackActivitiesImpl callbacks =
        new CallbackActivitiesImpl(jobs, settings.serviceKey(), settings.jobs().callbackSecret());
    this.sessions = new JobSessions(lanes);
    JobWorkflowImpl.Settings workflowSettings = settings.jobs().workflowSettings();

    this.factory = WorkerFactory.newInstance(client);
    for (String queue : jobQueues) {
      Worker worker =
          factory.newWorker(
              queue,
              WorkerOptions.newBuilder()
                  // a busy 2-core machine can stall a workflow thread past the 1 s default; that is
                  // load, not a deadlock, and failing the task would only add a retry round trip
                  .setDefaultDeadlockDetectionTimeout(5_000)
                  .build());
      worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(workflowSettings));
      worker.registerActivitiesImplementations(store, callbacks);
    }
    Worker session =
        factory.newWorker(
            sessionQueue,
            WorkerOptions.newBuilder()
                // one browser step per lane at a time; more would only queue behind the lanes
                .setMaxConcurrentActivityExecutionSize(settings.concurrency())
                // cancellation reaches a step only on a heartbeat: send them promptly so a
                // cancelled job's browser stops within about a second
                .setMaxHeartbeatThrottleInterval(java.time.Duration.ofMillis(500))
                .setDefaultHeartbeatThrottleInterval(java.time.Duration.ofMillis(500))
                .build());
    session.registerActivitiesImplementations(
        new CountingBrowserActivities(
            new BrowserActivitiesImpl(lanes, sessions, jobs, artifacts, settings.jobs().trace(),
                new io.ghosthands.activities.engine.resume.ResumeFiles(
                    settings.jobs().resumeDir() == null || settings.jobs().resumeDir().isBlank()
                        ? java.util.Optional.empty()
                        : java.util.Optional.of(java.nio.file.Path.of(settings.jobs().resumeDir())))),
            activeSteps));

    this.registry = new WorkerRegistry(dataSource, settings.workerId());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("task_queues", jobQueues);
    meta.put("session_queue", sessionQueue);
    meta.put("concurrency", settings.concurrency());
    registry.register(settings.named() ? settings.workerId() : null, WorkerSettings.host(), meta);

    this.statusServer = new WorkerStatusServer(settings.statusPort(), this::status, () -> activeSteps.get() == 0);
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "worker-registry-heartbeat");
              t.setDaemon(true);
              return t;
            });
    heartbeats.scheduleWithFixedDelay(
        this::heartbeat, REGISTRY_HEARTBEAT_SECONDS, REGISTRY_HEARTBEAT_SECONDS, TimeUnit.SECONDS);

    factory.start();
  }

  /** Starts a worker: browsers first (a missing Chromium fails here), then polling. */
  public static WorkerRuntime start(WorkerSettings settings, WorkflowClient client, DataSource dataSource) {
    WorkerRuntime runtime = new WorkerRuntime(settings, client, dataSource);
    log.info(
        "worker {} polling {} (session {}), {} browser lane(s), {}, status on :{}",
        settings.workerId(),
        runtime.jobQueues,
        runtime.sessionQueue,
        settings.concurrency(),
        settings.browser().describe(),
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

  Map<String, Object> status() {
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("worker_id", settings.workerId());
    status.put("status", closed ? "offline" : "active");
    status.put("task_queues", jobQueues);
    status.put("session_queue", sessionQueue);
    status.put("concurrency", settings.concurrency());
    status.put("active_jobs", activeSteps.get());
    status.put("open_sessions", sessions.size());
    status.put("started_at", startedAt.toString());
    return status;
  }

  private void heartbeat() {
    try {
      registry.heartbeat("active");
    } catch (RuntimeException e) {
      log.warn("worker registry heartbeat failed: {}", e.getMessage());
    }
  }

  /** Stops polling, lets running steps finish for up to {@code drainSeconds}, then releases everything. */
  public void stop(int drainSeconds) {
    if (closed) {
      return;
    }
    closed = true;
    factory.shutdown();
    try {
      factory.awaitTermination(drainSeconds, TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      log.warn("worker {} did not drain cleanly: {}", settings.workerId(), e.getMessage());
    }
    factory.shutdownNow();
    heartbeats.shutdownNow();
    statusServer.close();
    sessions.close();
    lanes.close();
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

  /** Counts running browser steps for {@code /worker/health} and {@code /worker/status}. */
  private static final class CountingBrowserActivities implements io.ghosthands.workflows.activity.BrowserActivities {
    private final io.ghosthands.workflows.activity.BrowserActivities delegate;
    private final AtomicInteger active;

    CountingBrowserActivities(io.ghosthands.workflows.activity.BrowserActivities delegate, AtomicInteger active) {
      this.delegate = delegate;
      this.active = active;
    }

    private <T> T counted(java.util.function.Supplier<T> step) {
      active.incrementAndGet();
      try {
        return step.get();
      } finally {
        active.decrementAndGet();
      }
    }

    @Override
    public io.ghosthands.workflows.payload.StepResult start(io.ghosthands.workflows.payload.StepRequest request) {
      return counted(() -> delegate.start(request));
    }

    @Override
    public io.ghosthands.workflows.payload.StepResult resume(io.ghosthands.workflows.payload.ResumeStep request) {
      return counted(() -> delegate.resume(request));
    }

    @Override
    public io.ghosthands.workflows.payload.StepResult submit(io.ghosthands.workflows.payload.StepRequest request) {
      return counted(() -> delegate.submit(request));
    }

    @Override
    public void close(String jobId) {
      delegate.close(jobId);
    }
  }
}
