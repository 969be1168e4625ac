package io.ghosthands.app.support;

import java.util.ArrayList;
import java.util.List;

/**
 * What the test JVM stops when it exits, in order: stacks still running first, then the Temporal
 * server they use, then their databases, then the database server. (Separate shutdown hooks run
 * all at once: a database dropped under a stack that is still stopping left it waiting 30 s for a
 * connection, and surefire killed the JVM.)
 */
final class TestShutdown {

    /** When a step runs: lower first. */
    enum Phase {
        STACKS,
        TEMPORAL,
        DATABASES,
        DATABASE_SERVER
    }

    private static final List<List<Runnable>> steps = new ArrayList<>();

    static {
        for (int i = 0; i < Phase.values().length; i++) {
            steps.add(new ArrayList<>());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(TestShutdown::run, "test-shutdown"));
    }

    private TestShutdown() {}

    static synchronized void at(Phase phase, Runnable step) {
        steps.get(phase.ordinal()).add(step);
    }

    private static void run() {
        List<List<Runnable>> all;
        synchronized (TestShutdown.class) {
            all = new ArrayList<>();
            for (List<Runnable> phase : steps) {
                all.add(new ArrayList<>(phase));
            }
        }
        for (List<Runnable> phase : all) {
            for (Runnable step : phase) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    System.err.println("test shutdown step failed: " + e);
                }
            }
        }
    }
}
