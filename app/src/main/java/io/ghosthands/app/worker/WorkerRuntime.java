package io.ghosthands.app.worker;

import io.ghosthands.activities.callback.CallbackActivitiesImpl;
import io.ghosthands.activities.live.CdpPolicy;
import io.ghosthands.activities.live.LiveLinks;
import io.ghosthands.activities.store.ArtifactLinks;
import io.ghosthands.activities.store.ArtifactStore;
import io.ghosthands.activities.store.JobStore;
import io.ghosthands.activities.store.JobStoreActivitiesImpl;
import io.ghosthands.workflows.TaskQueues;
import io.ghosthands.workflows.activity.BrowserActivities;
import io.temporal.client.WorkflowClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
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
    private final WorkerBrowsers browsers;
    private final WorkerPollers pollers;
    private final WorkerDrain drain;
    private final WorkerRegistry registry;
    private final WorkerStatusAnswers answers;
    private final WorkerStatusServer statusServer;
    private final LiveRelay liveRelay;
    private final ScheduledExecutorService heartbeats;
    private final Instant startedAt = Instant.now();

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

    private WorkerRuntime(
            WorkerSettings settings,
            WorkflowClient client,
            DataSource dataSource,
            Duration drainTimeout,
            WorkerHost machine,
            IntConsumer statusPortOpened) {
        this.settings = settings;
        this.machine = machine;
        this.sessionQueue =
                TaskQueues.forSession(settings.workerId(), HexFormat.of().formatHex(SecureRandom.getSeed(4)));
        this.jobQueues = settings.named()
                ? List.of(TaskQueues.forWorker(settings.workerId()), TaskQueues.SHARED)
                : List.of(TaskQueues.SHARED);

        this.browsers = new WorkerBrowsers(settings);
        this.pollers = new WorkerPollers(
                client,
                settings,
                jobQueues,
                sessionQueue,
                browsers.laneGate(),
                activities(client, new JobStore(dataSource), dataSource));
        this.registry = new WorkerRegistry(dataSource, settings.workerId());
        this.drain = new WorkerDrain(settings.workerId(), drainTimeout, pollers, browsers, registry, this::heartbeat);

        // the live-view relay: where the API reaches the pages of this worker's paused jobs
        this.liveRelay = new LiveRelay(
                WorkerStatusServer.bindAddress(settings.statusBind()),
                settings.serviceKey(),
                browsers.sessions(),
                new CdpPolicy(Boolean.parseBoolean(System.getenv().getOrDefault("GH_LIVE_ALLOW_EVALUATE", "false"))));
        liveRelay.open();
        settings.outbound().addOwnPort(liveRelay.port());
        register();

        this.answers = new WorkerStatusAnswers(
                settings, machine, jobQueues, sessionQueue, browsers, drain, liveRelay, startedAt);
        this.statusServer =
                new WorkerStatusServer(settings.statusBind(), settings.statusPort(), settings.serviceKey(), answers);
        // a job's page or callback aimed at this port is refused (before any job can run here)
        settings.outbound().addOwnPort(statusServer.port());
        statusPortOpened.accept(statusServer.port());
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-registry-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeats.scheduleWithFixedDelay(
                this::heartbeat, REGISTRY_HEARTBEAT_SECONDS, REGISTRY_HEARTBEAT_SECONDS, TimeUnit.SECONDS);

        pollers.startJobsAndSteps();
        drain.workerStarted();
    }

    /** The activities this worker serves: mirror writes and claims, callbacks, browser steps. */
    private WorkerPollers.Activities activities(WorkflowClient client, JobStore jobs, DataSource dataSource) {
        ArtifactStore artifacts = new ArtifactStore(
                dataSource, new ArtifactLinks(settings.publicUrl(), settings.serviceKey(), Duration.ofDays(7)));
        // stopping a poller does not recall the long poll it has waiting on the server: a claim that
        // still arrives after the drain began is refused (retried for another worker)
        JobStoreActivitiesImpl store = new JobStoreActivitiesImpl(
                jobs,
                settings.workerId(),
                sessionQueue,
                settings.jobs().hitlTimeoutSeconds(),
                () -> state() == State.ACTIVE,
                browsers.laneGate());
        CallbackActivitiesImpl callbacks = new CallbackActivitiesImpl(
                        jobs,
                        settings.serviceKey(),
                        settings.jobs().callbackSecret(),
                        settings.outbound(),
                        settings.jobs().callbackKeyHosts())
                .withLiveLinks(new LiveLinks(settings.publicUrl(), settings.serviceKey()));
        BrowserActivities browser = browsers.activities(
                settings,
                jobs,
                artifacts,
                new TemporalSubmitCheck(
                        client.getWorkflowServiceStubs(),
                        client.getOptions().getNamespace(),
                        settings.workerId() + "/submit-check"));
        return new WorkerPollers.Activities(store, callbacks, browser);
    }

    /** Writes this worker's registry row: its queues, lanes and live relay. */
    private void register() {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("task_queues", jobQueues);
        meta.put("session_queue", sessionQueue);
        meta.put("concurrency", settings.concurrency());
        meta.put("live_relay", "ws://" + advertisedHost(settings.statusBind(), machine) + ":" + liveRelay.port());
        registry.register(settings.named() ? settings.workerId() : null, WorkerSettings.host(), machine, meta);
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
            WorkerSettings settings,
            WorkflowClient client,
            DataSource dataSource,
            Duration drainTimeout,
            WorkerHost machine) {
        return start(settings, client, dataSource, drainTimeout, machine, port -> {});
    }

    /**
     * As above; {@code statusPortOpened} runs once the status port listens and before any poller
     * starts (tests use it to send requests to a worker that is still starting).
     */
    static WorkerRuntime start(
            WorkerSettings settings,
            WorkflowClient client,
            DataSource dataSource,
            Duration drainTimeout,
            WorkerHost machine,
            IntConsumer statusPortOpened) {
        WorkerRuntime runtime =
                new WorkerRuntime(settings, client, dataSource, drainTimeout, machine, statusPortOpened);
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
        InetAddress address = WorkerStatusServer.bindAddress(bind);
        String host;
        if (!address.isAnyLocalAddress()) {
            host = address.getHostAddress();
        } else if (machine.ec2Ip() != null && !machine.ec2Ip().isBlank()) {
            host = machine.ec2Ip();
        } else {
            try {
                host = InetAddress.getLocalHost().getHostAddress();
            } catch (UnknownHostException e) {
                host = "127.0.0.1";
            }
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The address the status port listens on ({@code GH_WORKER_BIND}). */
    InetAddress statusAddress() {
        return statusServer.address();
    }

    public State state() {
        return drain.state();
    }

    /** The drain timeout this worker was started with. */
    public Duration drainTimeout() {
        return drain.timeout();
    }

    /** What {@code GET /worker/status} answers (see {@link WorkerStatusAnswers#status}). */
    Map<String, Object> status() {
        return answers.status();
    }

    /**
     * Heartbeats the registry row. A worker whose row was set {@code offline} by a deregistration
     * drains: it finishes what it holds and takes no new job.
     */
    void heartbeat() {
        if (state() == State.OFFLINE) {
            return;
        }
        try {
            boolean registered = registry.heartbeat(WorkerStatusAnswers.registryStatus(state()));
            if (!registered && state() == State.ACTIVE) {
                log.info("worker {} was deregistered: draining", settings.workerId());
                drain();
            }
        } catch (RuntimeException e) {
            log.warn("worker registry heartbeat failed: {}", e.getMessage());
        }
    }

    /**
     * Phase one of stopping: takes no new job from now on, lets the browser steps of the jobs this
     * worker holds finish for up to the drain timeout, then releases the browsers (hard, if the
     * timeout passed first). The registry row and {@code /worker/status} say {@code draining}; the
     * status port keeps answering. Idempotent: every call returns the same future. Called while the
     * worker is still starting, the drain is queued: it begins once the pollers it stops exist, and
     * the worker never claims a job.
     */
    public CompletableFuture<DrainOutcome> drain() {
        return drain.drain();
    }

    /** Whether a drain was asked for before the worker finished starting and has not begun yet. */
    boolean drainQueued() {
        return drain.queued();
    }

    /**
     * Phase two: stops now. Starts the drain if needed and ends it at once: the browsers are killed,
     * so the running steps fail ({@code browser_crashed}) and their workflows retry the jobs on
     * another worker (or notice through the step's heartbeat timeout if this process is gone first).
     */
    public CompletableFuture<DrainOutcome> forceStop() {
        return drain.forceStop();
    }

    /**
     * Drains for up to {@code drainSeconds} (forcing the rest), then stops the status port and marks
     * the registry row {@code offline}. After a drain this only does the latter.
     */
    public void stop(int drainSeconds) {
        CompletableFuture<DrainOutcome> drained = drain.drainUnlessOffline();
        if (drained == null) {
            return;
        }
        try {
            drained.get(drainSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            forceStop().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            forceStop().join();
        } catch (ExecutionException e) {
            log.warn(
                    "worker {} drain failed: {}",
                    settings.workerId(),
                    e.getCause().toString());
        }
        if (!drain.goOffline()) {
            return;
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
}
