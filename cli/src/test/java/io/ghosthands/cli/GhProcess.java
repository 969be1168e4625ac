package io.ghosthands.cli;

import io.ghosthands.app.support.TestStack;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@code gh} command in its own JVM (this test's classpath), its output collected line by line.
 * The process tests use it to run workers and the dev stack as users do.
 */
final class GhProcess {

    final Process process;
    /** Every line the process printed (stdout and stderr), in order. */
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private GhProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code gh <args>} with the environment changed by {@code env} (a null value removes the
     * variable), never downloading a browser and with Chromium kept on loopback.
     */
    static GhProcess start(Map<String, String> env, List<String> jvmArgs, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(new File(System.getProperty("java.home"), "bin/java").getPath());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.ghosthands.cli.GhCommand");
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        environment.put("GH_CHROMIUM_ARGS", TestStack.LOOPBACK_ONLY);
        env.forEach((key, value) -> {
            if (value == null) {
                environment.remove(key);
            } else {
                environment.put(key, value);
            }
        });
        builder.redirectErrorStream(true);
        return new GhProcess(builder.start());
    }

    /** What a worker process needs to join a test stack: its database, Temporal namespace, key and API. */
    static Map<String, String> workerEnv(TestStack stack, String namespace, int workerPort) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(
                "DATABASE_URL",
                stack.database()
                        .url()
                        .jdbcUrl()
                        .replace(
                                "jdbc:postgresql://",
                                "postgresql://" + stack.database().url().user() + "@"));
        env.put("TEMPORAL_ADDRESS", stack.temporalAddress());
        env.put("TEMPORAL_NAMESPACE", namespace);
        env.put("GH_SERVICE_KEY", TestStack.SERVICE_KEY); // also the payload encryption key the API uses
        env.put("GH_PUBLIC_URL", stack.api().baseUrl());
        env.put("GH_WORKER_PORT", String.valueOf(workerPort));
        env.put("GH_ALLOW_PRIVATE_NETWORKS", "true"); // the tests' pages are on loopback
        return env;
    }

    /** Everything printed so far, for failure messages. */
    String output() {
        return String.join("\n", lines);
    }
}
