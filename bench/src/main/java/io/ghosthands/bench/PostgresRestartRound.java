package io.ghosthands.bench;

import io.ghosthands.app.support.PrivatePostgres;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Chaos scenario {@code postgres-restart}: PostgreSQL stopped (fast shutdown), then crashed (kill -9
 * of the postmaster), mid-burst of applications, and started again on the same port and data
 * directory. One instance per round.
 */
final class PostgresRestartRound {

    private final ChaosHarness h;
    private final PrivatePostgres pg;
    private final String base;
    private final boolean crash;
    private final String fault;
    private final int total;
    private final ChaosTally tally = new ChaosTally();
    private final Map<String, AtomicInteger> answers =
            new ConcurrentHashMap<>(); // "201", "503", "409", "500", "io", ...
    private final List<String> bad = new CopyOnWriteArrayList<>(); // 5xx other than 503, non-JSON answers
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean faulted = new AtomicBoolean();
    private final AtomicBoolean restarted = new AtomicBoolean();
    private final AtomicLong startedNanos = new AtomicLong();
    private final AtomicLong firstCreateAfter = new AtomicLong();
    private final long gapMs = Long.getLong("chaos.pg.create.gap.ms", 1500);
    private final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);

    private PostgresRestartRound(ChaosHarness h, PrivatePostgres pg, String base, boolean crash, int total) {
        this.h = h;
        this.pg = pg;
        this.base = base;
        this.crash = crash;
        this.fault = crash ? "kill -9" : "stop -m fast";
        this.total = total;
    }

    /**
     * Runs on a stack of its own: a private PostgreSQL ({@link PrivatePostgres}: its own port and temp
     * data directory, never the machine's shared server), a {@code gh api} process and two {@code gh
     * worker} processes on it, in a Temporal namespace of their own. Two rounds, one per fault.
     */
    static void run(ChaosHarness shared, int downSeconds, int jobsPerRound) throws Exception {
        String ns = ChaosHarness.NAMESPACE + "-pg";
        shared.temporal.registerNamespace(ns);
        try (PrivatePostgres pg = PrivatePostgres.start("gh_chaos")) {
            int port = TestTemporal.freePort();
            String base = "http://127.0.0.1:" + port;
            ChaosHarness own = new ChaosHarness(
                    base,
                    pg.dataSource("gh_chaos"),
                    pg.databaseUrl("gh_chaos"),
                    ns,
                    shared.temporal,
                    shared.site,
                    shared.ghJar,
                    shared.logs);
            try {
                own.startApi(port);
                ChaosHarness.awaitHealthy(base, Duration.ofSeconds(180));
                own.startWorker();
                own.startWorker();
                System.out.printf(
                        "  postgres-restart: private PostgreSQL on 127.0.0.1:%d, gh api on %d, 2 workers (namespace %s)%n",
                        pg.port(), port, ns);
                new PostgresRestartRound(own, pg, base, false, jobsPerRound).round(downSeconds);
                new PostgresRestartRound(own, pg, base, true, jobsPerRound).round(downSeconds);
            } finally {
                own.destroyStarted(true);
            }
        }
    }

    private void round(int downSeconds) throws Exception {
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Thread t = new Thread(this::client, "chaos-pg-client-" + c);
            clients.add(t);
            t.start();
        }
        // the fault: once an application runs on a worker, 0.8 s later (its posting still loading)
        h.awaitRunningOnLiveWorker(tally.ids(), Duration.ofSeconds(180));
        Thread.sleep(800);
        List<String> affected = List.copyOf(tally.ids());
        Instant faultAt = h.dbNow();
        long downNanos = System.nanoTime();
        if (crash) {
            pg.kill9();
        } else {
            pg.stopFast();
        }
        faulted.set(true);
        int ackedAtFault = affected.size();
        System.out.printf(
                "  postgres-restart: %s of PostgreSQL with %d job(s) acknowledged, %d to come%n",
                fault, ackedAtFault, total - ackedAtFault);
        Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(downSeconds) - (System.nanoTime() - downNanos) / 1_000_000));
        pg.start();
        startedNanos.set(System.nanoTime());
        restarted.set(true);
        double down = (startedNanos.get() - downNanos) / 1e9;
        double readsBack = awaitReadsBack(affected.get(0));
        for (Thread t : clients) {
            t.join(TimeUnit.MINUTES.toMillis(6));
        }
        tally.fault(faultAt, affected);
        report(down, readsBack);
    }

    /** Seconds after PostgreSQL's start until the API's reads work again (its pool reconnects), or -1. */
    private double awaitReadsBack(String jobId) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            try {
                HttpResponse<String> r = ChaosHarness.HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/api/v1/gh/jobs/" + jobId))
                                .timeout(Duration.ofSeconds(30))
                                .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return (System.nanoTime() - startedNanos.get()) / 1e9;
                }
                if (r.statusCode() != 503) {
                    bad.add("GET job answered " + r.statusCode() + " " + r.body());
                }
            } catch (IOException e) {
                // try again
            }
            Thread.sleep(200);
        }
        return -1;
    }

    private void report(double down, double readsBack) throws InterruptedException {
        String createsBack = firstCreateAfter.get() == 0
                ? "n/a (all created before)"
                : String.format("%.1f s", (firstCreateAfter.get() - startedNanos.get()) / 1e9);
        String tallyOfAnswers = new TreeMap<>(answers).toString();
        System.out.printf(
                "  postgres-restart %s: down %.1f s; API reads back %.1f s and creates %s after the start;"
                        + " create answers %s%n",
                fault, down, readsBack, createsBack, tallyOfAnswers);
        ChaosReport.report(
                h,
                "pg " + (crash ? "kill -9" : "stop fast"),
                tally,
                String.format(
                        " (PostgreSQL down %.1f s; API reading again"
                                + " %.1f s after its start; create answers %s, other 5xx or non-JSON %d)",
                        down, readsBack, tallyOfAnswers, bad.size()));
        if (!bad.isEmpty() || readsBack < 0) {
            ChaosReport.verdict(false);
            ChaosReport.record(String.format(
                    "chaos %-14s FAIL: %d answer(s) other than 201/409/503 database_unavailable%s",
                    "pg " + fault, bad.size(), readsBack < 0 ? ", the API did not read again within 120 s" : ""));
            bad.stream().limit(10).forEach(b -> System.out.println("    " + b));
        }
    }

    /** One client of the burst; the second half of the burst is sent once the fault is in: into the outage. */
    private void client() {
        int i;
        while ((i = next.getAndIncrement()) < total) {
            while (i >= total / 2 && !faulted.get() && System.nanoTime() < deadline) {
                ChaosHarness.sleepQuietly(50);
            }
            String key = "chaos-pg-" + UUID.randomUUID();
            if (!create(ChaosHarness.applyBody(h.site.jobUrl(ChaosHarness.SLOW_MS), key))) {
                return;
            }
            ChaosHarness.sleepQuietly(gapMs);
        }
    }

    /** A client that got a 503 or no answer sends the same request again, same idempotency key; false when interrupted. */
    private boolean create(String body) {
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = ChaosHarness.postJob(base, body, Duration.ofSeconds(30));
                answers.computeIfAbsent(String.valueOf(r.statusCode()), k -> new AtomicInteger())
                        .incrementAndGet();
                JsonNode json;
                try {
                    json = ChaosHarness.JSON.readTree(r.body());
                } catch (RuntimeException notJson) {
                    bad.add(r.statusCode() + " not JSON: "
                            + r.body().substring(0, Math.min(200, r.body().length())));
                    Thread.sleep(500);
                    continue;
                }
                if (r.statusCode() == 201) {
                    tally.add(json.path("id").asString());
                    if (restarted.get()) {
                        firstCreateAfter.compareAndSet(0, System.nanoTime());
                    }
                    return true;
                }
                if (r.statusCode() == 409) { // created by an attempt whose answer was lost
                    tally.addUnacknowledged(json.path("existing_job_id").asString());
                    return true;
                }
                if (r.statusCode() == 503
                        && "database_unavailable".equals(json.path("error").asString())) {
                    Thread.sleep(1000);
                    continue;
                }
                bad.add(r.statusCode() + " " + r.body());
                if (r.statusCode() >= 500 || r.statusCode() == 429) {
                    Thread.sleep(1000);
                    continue;
                }
                return true; // a 4xx for a valid request: reported as a problem, not retried
            } catch (IOException e) {
                answers.computeIfAbsent("no answer", k -> new AtomicInteger()).incrementAndGet();
                ChaosHarness.sleepQuietly(500);
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }
}
