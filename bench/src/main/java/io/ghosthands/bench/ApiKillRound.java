package io.ghosthands.bench;

import io.ghosthands.app.support.TestTemporal;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;

/** Chaos scenario {@code api-kill}: kill -9 of the API process mid-burst of creates, restarted on the same port. */
final class ApiKillRound {

    private final ChaosHarness h;
    private final String base;
    private final ChaosTally tally = new ChaosTally();
    private final int total = Integer.getInteger("chaos.api.jobs", 60);
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger found409 = new AtomicInteger();
    private final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);

    private ApiKillRound(ChaosHarness h, String base) {
        this.h = h;
        this.base = base;
    }

    static void run(ChaosHarness h) throws Exception {
        int port = TestTemporal.freePort();
        String base = "http://127.0.0.1:" + port;
        Process api = h.startApi(port);
        ChaosHarness.awaitHealthy(base, Duration.ofSeconds(120));
        new ApiKillRound(h, base).run(api, port);
    }

    private void run(Process api, int port) throws Exception {
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Thread t = new Thread(this::client, "chaos-client-" + c);
            clients.add(t);
            t.start();
        }
        // kill it once a third of the burst is acknowledged, with creates in flight
        while (tally.acknowledged() < total / 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        api.destroyForcibly();
        long killedNanos = System.nanoTime();
        Instant killedAt = h.dbNow();
        api.waitFor(10, TimeUnit.SECONDS);
        int ackedAtKill = tally.acknowledged();
        System.out.printf("  api-kill: kill -9 gh api after %d acknowledged creates%n", ackedAtKill);
        Thread.sleep(1000);
        api = h.startApi(port);
        ChaosHarness.awaitHealthy(base, Duration.ofSeconds(120));
        double apiBack = (System.nanoTime() - killedNanos) / 1e9;
        for (Thread t : clients) {
            t.join(TimeUnit.MINUTES.toMillis(4));
        }
        tally.fault(killedAt, List.copyOf(tally.ids()));
        System.out.printf(
                "  api-kill: API answering again %.1f s after the kill; %d create(s) found by idempotency key%n",
                apiBack, found409.get());
        ChaosReport.report(h, "api-kill", tally, String.format(" (API answering again after %.1f s)", apiBack));
        api.destroyForcibly();
    }

    /** One client of the burst: creates jobs until the burst is sent. */
    private void client() {
        while (next.getAndIncrement() < total) {
            String key = "chaos-api-" + UUID.randomUUID();
            if (!create(key)) {
                return;
            }
            ChaosHarness.sleepQuietly(50);
        }
    }

    /**
     * A client that lost its answer sends the same request again, with the same idempotency key;
     * false when interrupted.
     */
    private boolean create(String key) {
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = ChaosHarness.postJob(
                        base, ChaosHarness.applyBody(h.site.jobUrl(0), key), Duration.ofSeconds(10));
                JsonNode json = ChaosHarness.JSON.readTree(r.body());
                if (r.statusCode() == 201) {
                    tally.add(json.path("id").asString());
                    return true;
                }
                if (r.statusCode() == 409) { // created by an attempt whose answer the kill swallowed
                    found409.incrementAndGet();
                    tally.addUnacknowledged(json.path("existing_job_id").asString());
                    return true;
                }
                if (r.statusCode() >= 500 || r.statusCode() == 429) {
                    Thread.sleep(200);
                    continue;
                }
                throw new IllegalStateException("create answered " + r.statusCode() + ": " + r.body());
            } catch (IOException e) {
                ChaosHarness.sleepQuietly(200); // the API is down: try again
            } catch (InterruptedException e) {
                return false;
            }
        }
        return true;
    }
}
