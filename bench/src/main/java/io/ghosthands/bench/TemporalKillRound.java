package io.ghosthands.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Chaos scenario {@code temporal-kill}: kill -9 of the Temporal dev server mid-application, restart on the same file. */
final class TemporalKillRound {

    private TemporalKillRound() {}

    static void run(ChaosHarness h) throws Exception {
        ChaosTally tally = new ChaosTally();
        for (int i = 0; i < 4; i++) {
            tally.add(h.createApply(h.apiBase, ChaosHarness.SLOW_MS + 2000, null));
        }
        h.awaitRunningOnLiveWorker(tally.ids(), Duration.ofSeconds(120));
        Thread.sleep(800);
        List<String> affected = List.copyOf(tally.ids());
        Instant killedAt = h.dbNow();
        h.temporal.kill9();
        System.out.println("  temporal-kill: kill -9 of the Temporal dev server with 4 jobs in flight");
        Thread.sleep(3000);
        h.temporal.restart();
        tally.fault(killedAt, affected);
        ChaosReport.report(h, "temporal-kill", tally);
    }
}
