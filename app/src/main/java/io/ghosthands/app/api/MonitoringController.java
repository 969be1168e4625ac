package io.ghosthands.app.api;

import io.ghosthands.activities.store.MonitoringQueries;
import io.ghosthands.app.jobs.Reconciler;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /monitoring/*} at the root, unauthenticated: health, Prometheus metrics, alerts, the worker fleet. */
@RestController
@RequestMapping("/monitoring")
class MonitoringController {

    /** A worker whose heartbeat is older than this shows as offline, whatever its row says. */
    static final int WORKER_STALE_SECONDS = 120;

    private final MonitoringQueries store;
    private final WorkflowServiceStubs temporal;
    private final ApiTraffic traffic;

    private final ObjectProvider<Reconciler> reconciler;

    MonitoringController(
            MonitoringQueries store,
            WorkflowServiceStubs temporal,
            ApiTraffic traffic,
            ObjectProvider<Reconciler> reconciler) {
        this.reconciler = reconciler;
        this.store = store;
        this.temporal = temporal;
        this.traffic = traffic;
    }

    /** The project version this build is ({@code version.properties}, filled in by the build). */
    static final String VERSION = version();

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = MonitoringController.class.getResourceAsStream("/io/ghosthands/app/version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // reported as unknown
        }
        String v = p.getProperty("version", "");
        return v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }

    private static long uptimeSeconds() {
        return ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
    }

    /**
     * {@code {status: healthy|degraded|unhealthy, version, uptime (s), checks: [{name, status,
     * message?, latencyMs}], timestamp}}: the database (unhealthy without it: 503), Temporal and the
     * live workers (degraded without them).
     */
    @GetMapping("/health")
    ResponseEntity<Map<String, Object>> health() {
        List<Map<String, Object>> checks = new ArrayList<>();
        boolean db = check(checks, "database", "unhealthy", () -> {
            store.ping();
            return null;
        });
        boolean tmp = check(checks, "temporal", "degraded", () -> {
            temporal.blockingStub()
                    .withDeadlineAfter(2, TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
            return null;
        });
        boolean live = db
                && check(checks, "workers", "degraded", () -> {
                    long n = store.liveWorkers(WORKER_STALE_SECONDS);
                    if (n == 0) {
                        throw new IllegalStateException("no active worker");
                    }
                    return n + " active worker" + (n == 1 ? "" : "s");
                });
        String status = !db ? "unhealthy" : (!tmp || !live) ? "degraded" : "healthy";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("version", VERSION);
        body.put("uptime", uptimeSeconds());
        body.put("uptime_seconds", uptimeSeconds());
        body.put("checks", checks);
        body.put("timestamp", Instant.now().toString());
        return ResponseEntity.status(db ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(body);
    }

    /**
     * Runs one probe and adds its {@code {name, status, message?, latencyMs}}: {@code healthy} when it
     * answers (its answer, if any, is the message), else {@code failedAs} with the reason.
     */
    private static boolean check(
            List<Map<String, Object>> checks, String name, String failedAs, Supplier<String> probe) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", name);
        long started = System.nanoTime();
        boolean ok;
        String message;
        try {
            message = probe.get();
            ok = true;
        } catch (RuntimeException e) {
            message = String.valueOf(e.getMessage());
            ok = false;
        }
        check.put("status", ok ? "healthy" : failedAs);
        if (message != null) {
            check.put("message", message);
        }
        check.put("latencyMs", (System.nanoTime() - started) / 1_000_000);
        checks.add(check);
        return ok;
    }

    @GetMapping(value = "/metrics", produces = "text/plain; version=0.0.4; charset=utf-8")
    ResponseEntity<String> metrics() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP gh_jobs Jobs by status.\n# TYPE gh_jobs gauge\n");
        Map<String, Long> byStatus = jobsByStatus();
        for (Map.Entry<String, Long> e : byStatus.entrySet()) {
            out.append("gh_jobs{status=\"")
                    .append(e.getKey())
                    .append("\"} ")
                    .append(e.getValue())
                    .append('\n');
        }
        out.append("# HELP gh_workers Registered workers by effective status.\n# TYPE gh_workers gauge\n");
        for (Map.Entry<String, Long> e : workersByStatus().entrySet()) {
            out.append("gh_workers{status=\"")
                    .append(e.getKey())
                    .append("\"} ")
                    .append(e.getValue())
                    .append('\n');
        }
        MonitoringQueries.WorkerLoad load = store.workerLoad(WORKER_STALE_SECONDS);
        out.append(
                "# HELP gh_worker_active_jobs Jobs held by workers (running or paused).\n# TYPE gh_worker_active_jobs gauge\n");
        out.append("gh_worker_active_jobs ").append(load.activeJobs()).append('\n');
        out.append(
                "# HELP gh_worker_queue_depth Jobs waiting for a worker (pending or queued, due).\n# TYPE gh_worker_queue_depth gauge\n");
        out.append("gh_worker_queue_depth ").append(load.queueDepth()).append('\n');
        out.append(
                "# HELP gh_llm_calls_total Language model calls (GhostHands calls none).\n# TYPE gh_llm_calls_total counter\n");
        out.append("gh_llm_calls_total 0\n");
        out.append(
                "# HELP gh_api_requests_total Requests this API process answered.\n# TYPE gh_api_requests_total counter\n");
        out.append("gh_api_requests_total ").append(traffic.requests()).append('\n');
        out.append(
                "# HELP gh_api_errors_total Requests this API process answered with 4xx or 5xx.\n# TYPE gh_api_errors_total counter\n");
        out.append("gh_api_errors_total ")
                .append(traffic.clientErrors() + traffic.serverErrors())
                .append('\n');
        out.append(
                "# HELP gh_uptime_seconds Seconds since this API process started.\n# TYPE gh_uptime_seconds gauge\n");
        out.append("gh_uptime_seconds ").append(uptimeSeconds()).append('\n');
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/plain; version=0.0.4; charset=utf-8"))
                .body(out.toString());
    }

    /**
     * The metrics as VALET's admin page reads them: {@code jobs} (a count per status, and
     * {@code created}: every job ever created), {@code llm.calls} (0: no model is called),
     * {@code worker} ({@code activeJobs} held by workers, {@code maxConcurrent} browser lanes of the
     * live workers, {@code totalProcessed} jobs they completed or failed, {@code queueDepth} jobs
     * waiting for one), {@code api} (requests this process answered, {@code totalErrors} of them
     * 4xx or 5xx), {@code workers} (a count per status) and {@code uptime} in seconds.
     */
    @GetMapping("/metrics/json")
    Map<String, Object> metricsJson() {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> jobs = new LinkedHashMap<>(jobsByStatus());
        jobs.put("created", store.jobsCreated());
        body.put("jobs", jobs);
        body.put("llm", Map.of("calls", 0, "input_tokens", 0, "output_tokens", 0, "cost_usd", 0.0));
        MonitoringQueries.WorkerLoad load = store.workerLoad(WORKER_STALE_SECONDS);
        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("activeJobs", load.activeJobs());
        worker.put("maxConcurrent", load.maxConcurrent());
        worker.put("totalProcessed", load.totalProcessed());
        worker.put("queueDepth", load.queueDepth());
        body.put("worker", worker);
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("totalRequests", traffic.requests());
        api.put("totalErrors", traffic.clientErrors() + traffic.serverErrors());
        api.put("clientErrors", traffic.clientErrors());
        api.put("serverErrors", traffic.serverErrors());
        body.put("api", api);
        body.put("workers", workersByStatus());
        body.put("uptime", uptimeSeconds());
        return body;
    }

    /** A running job that has not heartbeated for this long has lost its worker (steps heartbeat every 5 s). */
    static final int JOB_STALE_SECONDS = 60;
    /** How long past its pause's own timeout a job may still read {@code paused} before it is flagged. */
    static final int PAUSE_OVERDUE_SECONDS = 60;

    /** How long a queued, running or paused row must be unchanged before its workflow is looked for. */
    static final int ORPHAN_QUIET_SECONDS = 30;

    /** A job still {@code pending} this long means its workflow cannot be started (Temporal unreachable). */
    static final int PENDING_STALE_SECONDS = 60;

    /**
     * What an operator should look at now, worked out from the mirror on each call: jobs waiting with
     * no live worker, jobs whose workflow could not be started (pending), running jobs without a
     * heartbeat, jobs paused past their timer, queued/running/paused jobs whose workflow Temporal no
     * longer runs, and a failure rate above half over the last 15 minutes.
     */
    @GetMapping("/alerts")
    Map<String, Object> alerts() {
        List<Map<String, Object>> alerts = new ArrayList<>();
        long live = store.liveWorkers(WORKER_STALE_SECONDS);
        long waiting = store.waitingDue();
        if (live == 0 && waiting > 0) {
            alerts.add(alert(
                    "no_active_workers",
                    "critical",
                    waiting + " job(s) waiting and no worker taking work",
                    waiting,
                    List.of()));
        }
        jobAlerts(alerts);
        MonitoringQueries.RecentEnds recent = store.recentEnds();
        long failed = recent.failed();
        long ended = recent.ended();
        if (ended >= 10 && failed * 2 > ended) {
            alerts.add(alert(
                    "high_failure_rate",
                    "warning",
                    failed + " of the " + ended + " jobs that ended in the last 15 minutes failed",
                    failed,
                    List.of()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alerts", alerts);
        body.put("count", alerts.size());
        body.put("checked_at", Instant.now().toString());
        return body;
    }

    /** The alerts that name jobs: not dispatched, stale, paused past their timer, without a workflow. */
    private void jobAlerts(List<Map<String, Object>> alerts) {
        addIfAny(
                alerts,
                store.pendingSince(PENDING_STALE_SECONDS),
                "jobs_not_dispatched",
                "warning",
                "Jobs accepted over " + PENDING_STALE_SECONDS
                        + " s ago whose workflow has not started (is Temporal reachable?)");
        addIfAny(
                alerts,
                store.runningWithoutHeartbeat(JOB_STALE_SECONDS),
                "stale_running_jobs",
                "warning",
                "Running jobs without a heartbeat for over " + JOB_STALE_SECONDS + " s (their worker may be gone;"
                        + " Temporal retries them on another)");
        // a paused job's workflow fails it when its timer runs out; one still paused well after that
        // has lost its workflow (or its worker cannot write)
        addIfAny(
                alerts,
                store.pausedPastTimeout(PAUSE_OVERDUE_SECONDS),
                "paused_past_timeout",
                "warning",
                "Jobs paused for a human over " + PAUSE_OVERDUE_SECONDS
                        + " s past their pause's timeout (their workflow"
                        + " should have failed them: is it gone?)");
        Reconciler r = reconciler.getIfAvailable();
        if (r != null) {
            // asked of Temporal for a few of the quiet jobs only: the reconciler handles the rest
            addIfAny(
                    alerts,
                    r.withoutWorkflow(ORPHAN_QUIET_SECONDS, 20),
                    "jobs_without_workflow",
                    "critical",
                    "Queued, running or paused jobs whose workflow Temporal no longer runs (lost in a Temporal restart?);"
                            + " the reconciler starts queued ones again and fails the others with workflow_lost");
        }
    }

    private static void addIfAny(
            List<Map<String, Object>> alerts, List<String> jobIds, String type, String severity, String message) {
        if (!jobIds.isEmpty()) {
            alerts.add(alert(type, severity, message, jobIds.size(), jobIds));
        }
    }

    private static Map<String, Object> alert(
            String type, String severity, String message, long count, List<String> jobIds) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", type);
        a.put("severity", severity);
        a.put("message", message);
        a.put("count", count);
        if (!jobIds.isEmpty()) {
            a.put("job_ids", jobIds);
        }
        return a;
    }

    @GetMapping("/workers")
    Map<String, Object> workers() {
        List<Map<String, Object>> rows = store.workers(WORKER_STALE_SECONDS);
        // taking work: a draining worker still heartbeats, but finishes what it holds and takes nothing new
        long active =
                rows.stream().filter(r -> "active".equals(r.get("status"))).count();
        long draining =
                rows.stream().filter(r -> "draining".equals(r.get("status"))).count();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("workers", rows);
        body.put("total", rows.size());
        body.put("active", active);
        body.put("draining", draining);
        return body;
    }

    private Map<String, Long> jobsByStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String s : JobsController.STATUSES) {
            counts.put(s, 0L);
        }
        counts.putAll(store.jobsByStatus());
        return counts;
    }

    private Map<String, Long> workersByStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String s : List.of("active", "draining", "offline")) {
            counts.put(s, 0L);
        }
        store.workersByStatus(WORKER_STALE_SECONDS).forEach((status, n) -> counts.merge(status, n, Long::sum));
        return counts;
    }
}
