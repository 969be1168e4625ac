package io.ghosthands.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Chaos scenario {@code worker-kill}: kill -9 of a worker mid-application, N times, with a second worker alive. */
final class WorkerKillRound {

    private WorkerKillRound() {}

    static void run(ChaosHarness h, int kills) throws Exception {
        ChaosTally tally = new ChaosTally();
        for (int round = 1; round <= kills; round++) {
            // two jobs per round: either may land on the worker that dies
            tally.add(h.createApply(h.apiBase, ChaosHarness.SLOW_MS, null));
            tally.add(h.createApply(h.apiBase, ChaosHarness.SLOW_MS, null));
            String victim = h.awaitRunningOnLiveWorker(tally.ids(), Duration.ofSeconds(120));
            Thread.sleep(800); // mid-application: its first page is still loading
            List<String> affected = h.jdbc.queryForList(
                    "SELECT id::text FROM gh_automation_jobs WHERE worker_id = ?"
                            + " AND status IN ('running','queued','pending') AND id = ANY(?::uuid[])",
                    String.class,
                    victim,
                    tally.ids().toArray(String[]::new));
            Instant killedAt = h.kill9Worker(victim);
            System.out.printf(
                    "  worker-kill %d/%d: kill -9 %s with %d job(s) in flight%n",
                    round, kills, victim, affected.size());
            tally.fault(killedAt, affected);
            // a supervisor restarts it (as a new incarnation); the next kill waits until two are alive
            h.startWorker();
        }
        ChaosReport.report(h, "worker-kill x" + kills, tally);
    }
}
