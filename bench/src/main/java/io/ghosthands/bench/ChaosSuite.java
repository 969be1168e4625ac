package io.ghosthands.bench;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.RealTemporal;
import io.ghosthands.app.support.TestStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chaos suite: real {@code gh worker} and {@code gh api} processes ({@code cli/target/gh.jar})
 * and a real Temporal dev server ({@code temporal server start-dev}, SQLite file) on loopback, one
 * fault injected after another while jobs apply on a loopback application site that counts every
 * application it receives, per job. Per scenario it prints the jobs acknowledged, completed, failed,
 * lost (acknowledged but not finished within the bound, or "completed" without the site having
 * received the application), submitted twice (the site received the same job's application more
 * than once, or the database holds two jobs for one idempotency key) and the time to recover. Any
 * lost or twice-submitted job makes the run exit non-zero.
 *
 * <p>Scenarios, in order: {@code worker-kill} (kill -9 of a worker mid-application, N times, a
 * second worker alive; {@code -Dchaos.worker.kills=N}, default 20), {@code api-kill} (kill -9 of
 * {@code gh api} mid-burst of creates, restarted on the same port), {@code temporal-kill} (kill -9 of
 * the Temporal dev server mid-application, restarted on the same database file), {@code callback-down}
 * (the callback receiver refuses connections for a while), {@code postgres-restart} (on a stack of
 * its own with a private PostgreSQL: a fast shutdown, then a kill -9 of the postmaster, mid-burst of
 * applications, each for {@code -Dchaos.pg.down.seconds}, default 15, then started again on the
 * same port and data). Choose with
 * {@code -Dchaos.scenarios=worker-kill,api-kill,temporal-kill,callback-down,postgres-restart}.
 *
 * <p>Each scenario is a class of its own ({@link WorkerKillRound}, {@link ApiKillRound}, {@link
 * TemporalKillRound}, {@link CallbackDownRound}, {@link PostgresRestartRound}) on the shared {@link
 * ChaosHarness}; {@link ChaosReport} holds the lines and the verdict.
 */
public final class ChaosSuite {

    private ChaosSuite() {}

    public static void main(String[] args) throws Exception {
        int kills = Integer.getInteger("chaos.worker.kills", 20);
        List<String> scenarios = List.of(System.getProperty(
                        "chaos.scenarios", "worker-kill,api-kill,temporal-kill,callback-down,postgres-restart")
                .split(","));
        Path ghJar = ChaosHarness.locate("cli/target/gh.jar");
        Path logs = Files.createDirectories(Path.of("target", "chaos-" + System.currentTimeMillis()));
        System.out.println("chaos suite " + Instant.now() + ": scenarios " + scenarios + ", worker kills " + kills
                + ", gh " + ghJar + ", process logs in " + logs.toAbsolutePath());
        String ns = ChaosHarness.NAMESPACE;
        RealTemporal temporal = RealTemporal.start(ns, ns + "-pg"); // -pg: postgres-restart's own stack
        ChaosSite site = new ChaosSite();
        ChaosHarness harness = null;
        try (TestStack stack = TestStack.startOn(temporal.address(), ns, GhostHands.Roles.API, Map.of())) {
            harness = new ChaosHarness(
                    stack.api().baseUrl(),
                    stack.dataSource(),
                    stack.database()
                            .url()
                            .jdbcUrl()
                            .replace(
                                    "jdbc:postgresql://",
                                    "postgresql://" + stack.database().url().user() + "@"),
                    ns,
                    temporal,
                    site,
                    ghJar,
                    logs);
            // the shared stack's workers (postgres-restart runs a stack of its own)
            if (scenarios.stream().anyMatch(sc -> !sc.trim().equals("postgres-restart"))) {
                harness.startWorker();
                harness.startWorker();
            }
            for (String scenario : scenarios) {
                runScenario(harness, scenario.trim(), kills);
            }
        } finally {
            if (harness != null) {
                harness.destroyStarted(false);
            }
            site.close();
            temporal.close();
        }
        ChaosReport.printSummary();
        System.exit(ChaosReport.failed() ? 1 : 0);
    }

    /** Runs one scenario; an error in it is recorded as its line and fails the run. */
    private static void runScenario(ChaosHarness harness, String scenario, int kills) {
        long t0 = System.nanoTime();
        try {
            switch (scenario) {
                case "worker-kill" -> WorkerKillRound.run(harness, kills);
                case "api-kill" -> ApiKillRound.run(harness);
                case "temporal-kill" -> TemporalKillRound.run(harness);
                case "callback-down" ->
                    CallbackDownRound.run(harness, Integer.getInteger("chaos.callback.down.seconds", 120));
                case "postgres-restart" ->
                    PostgresRestartRound.run(
                            harness,
                            Integer.getInteger("chaos.pg.down.seconds", 15),
                            Integer.getInteger("chaos.pg.jobs", 16));
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        } catch (Exception | AssertionError e) {
            ChaosReport.verdict(false);
            ChaosReport.record(String.format(
                    "chaos %-14s ERROR after %d s: %s",
                    scenario, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), e));
            e.printStackTrace(System.out);
        }
    }
}
