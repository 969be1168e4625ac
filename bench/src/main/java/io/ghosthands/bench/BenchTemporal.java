package io.ghosthands.bench;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.RealTemporal;
import io.ghosthands.app.support.TestStack;
import java.util.List;
import java.util.Map;

/**
 * Which Temporal a benchmark runs on: {@code -Dbench.temporal=embedded} (the in-process test server
 * {@code gh dev} falls back to), {@code real} ({@code temporal server start-dev} with a SQLite file,
 * over TCP, as {@code gh dev} runs it with the CLI installed) or {@code both} (the default: one after
 * the other in the same run, for a side-by-side comparison; real only where the CLI is installed).
 */
final class BenchTemporal {

    private BenchTemporal() {}

    static List<String> targets() {
        String chosen = System.getProperty("bench.temporal", "both");
        return switch (chosen) {
            case "embedded" -> List.of("embedded");
            case "real" -> List.of("real");
            default -> RealTemporal.sharedIfInstalled().isPresent() ? List.of("embedded", "real") : List.of("embedded");
        };
    }

    static String describe(String target) {
        return target.equals("real")
                ? "real Temporal (temporal server start-dev, SQLite file, gRPC over loopback)"
                : "embedded Temporal (SDK test server, in-process)";
    }

    static TestStack start(String target, String namespace) {
        if (target.equals("embedded")) {
            return TestStack.start(namespace, GhostHands.Roles.DEV, Map.of());
        }
        RealTemporal real = RealTemporal.sharedIfInstalled()
                .orElseThrow(() -> new IllegalStateException("-Dbench.temporal=real needs the Temporal CLI"));
        real.registerNamespace(namespace);
        return TestStack.startOn(real.address(), namespace, GhostHands.Roles.DEV, Map.of());
    }
}
