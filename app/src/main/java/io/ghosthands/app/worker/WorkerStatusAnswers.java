package io.ghosthands.app.worker;

import io.ghosthands.app.worker.WorkerRuntime.State;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker's status port answers ({@link WorkerStatusServer}): {@code GET /worker/status},
 * {@code /worker/health} and {@code POST /worker/drain}, read from the worker's browsers and drain.
 */
final class WorkerStatusAnswers implements WorkerStatusServer.Endpoints {

    private final WorkerSettings settings;
    private final WorkerHost machine;
    private final List<String> jobQueues;
    private final String sessionQueue;
    private final WorkerBrowsers browsers;
    private final WorkerDrain drain;
    private final LiveRelay liveRelay;
    private final Instant startedAt;

    WorkerStatusAnswers(
            WorkerSettings settings,
            WorkerHost machine,
            List<String> jobQueues,
            String sessionQueue,
            WorkerBrowsers browsers,
            WorkerDrain drain,
            LiveRelay liveRelay,
            Instant startedAt) {
        this.settings = settings;
        this.machine = machine;
        this.jobQueues = jobQueues;
        this.sessionQueue = sessionQueue;
        this.browsers = browsers;
        this.drain = drain;
        this.liveRelay = liveRelay;
        this.startedAt = startedAt;
    }

    /** The contract's registry status: {@code active}, {@code draining} (also once drained) or {@code offline}. */
    static String registryStatus(State state) {
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
     * What {@code GET /worker/status} answers: VALET reads {@code worker_id}, {@code active_jobs} (jobs
     * held: browser steps running or pages kept for a human), {@code is_draining} and
     * {@code uptime_ms}.
     */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("worker_id", settings.workerId());
        status.put("status", registryStatus(drain.state()));
        status.put("is_draining", drain.state() != State.ACTIVE);
        status.put("ec2_instance_id", machine.ec2InstanceId());
        status.put("ec2_ip", machine.ec2Ip());
        status.put("task_queues", jobQueues);
        status.put("session_queue", sessionQueue);
        status.put("concurrency", settings.concurrency());
        status.put("max_concurrent", settings.concurrency());
        status.put("active_jobs", browsers.jobsHeld());
        status.put("running_steps", browsers.runningSteps());
        // browser lanes spoken for (running, just claimed, between steps); claims stop at concurrency
        status.put("lanes_held", browsers.laneGate().heldJobs());
        status.put("open_sessions", browsers.sessions().size());
        status.put("live_viewers", liveRelay.viewers());
        status.put("started_at", startedAt.toString());
        status.put("uptime_ms", Duration.between(startedAt, Instant.now()).toMillis());
        status.put("timestamp", Instant.now().toString());
        Instant drainStartedAt = drain.startedAt();
        if (drainStartedAt != null) {
            status.put("drain_started_at", drainStartedAt.toString());
            status.put("drain_timeout_seconds", drain.timeout().toSeconds());
            // polling nothing any more; an operator stops the process
            status.put("drained", drain.state() == State.DRAINED || drain.state() == State.OFFLINE);
        }
        return status;
    }

    @Override
    public String health() {
        if (drain.state() != State.ACTIVE) {
            return "draining";
        }
        return browsers.runningSteps() == 0 ? "idle" : "busy";
    }

    @Override
    public int jobsHeld() {
        return browsers.jobsHeld();
    }

    @Override
    public WorkerStatusServer.Drain drain() {
        WorkerDrain.Request request = drain.request();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker_id", settings.workerId());
        // queued while starting: it is draining as far as the caller is concerned, and says why
        body.put("status", request.queued() ? "draining" : registryStatus(drain.state()));
        if (request.queued()) {
            body.put("starting", true);
        }
        body.put("active_jobs", browsers.jobsHeld());
        body.put("drain_timeout_seconds", drain.timeout().toSeconds());
        return new WorkerStatusServer.Drain(request.began(), body);
    }
}
