package io.ghosthands.bench;

import io.ghosthands.app.support.RealTemporal;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * What every chaos scenario stands on: one stack's {@code gh api} and {@code gh worker} processes
 * ({@code cli/target/gh.jar}, each with its log in the run's directory), its database, the Temporal
 * dev server, the application site, and the client calls the scenarios make.
 */
final class ChaosHarness {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String NAMESPACE = "chaos";
    /** How long a job's first page takes to answer: the application is mid-way for that long. */
    static final int SLOW_MS = Integer.getInteger("chaos.slow.ms", 4000);
    /** Every scenario's jobs must be finished this long after its last fault, or they count as lost. */
    static final Duration SETTLE = Duration.ofSeconds(Integer.getInteger("chaos.settle.seconds", 300));

    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** The API the scenario's clients talk to (and the workers call back). */
    final String apiBase;
    /** {@code DATABASE_URL} of the processes this suite starts. */
    private final String databaseUrl;

    private final String namespace;
    final RealTemporal temporal;
    final JdbcTemplate jdbc;
    final ChaosSite site;
    final Path ghJar;
    final Path logs;
    private final List<Process> started = new CopyOnWriteArrayList<>();
    /** Live worker processes by worker id. */
    private final Map<String, Process> workers = new ConcurrentHashMap<>();

    private final AtomicInteger workerSeq = new AtomicInteger();

    ChaosHarness(
            String apiBase,
            DataSource dataSource,
            String databaseUrl,
            String namespace,
            RealTemporal temporal,
            ChaosSite site,
            Path ghJar,
            Path logs) {
        this.apiBase = apiBase;
        this.databaseUrl = databaseUrl;
        this.namespace = namespace;
        this.temporal = temporal;
        this.jdbc = new JdbcTemplate(dataSource);
        this.site = site;
        this.ghJar = ghJar;
        this.logs = logs;
    }

    /** Kills every process this harness started (SIGKILL), waiting up to 10 s for each if {@code wait}. */
    void destroyStarted(boolean wait) throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            if (wait) {
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code POST /api/v1/gh/jobs} of {@code body} to the API at {@code base}, with the service key. */
    static HttpResponse<String> postJob(String base, String body, Duration timeout)
            throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/gh/jobs"))
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String awaitRunningOnLiveWorker(List<String> ids, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            List<String> on = jdbc.queryForList(
                    "SELECT worker_id FROM gh_automation_jobs WHERE status = 'running'"
                            + " AND id = ANY(?::uuid[]) AND worker_id IS NOT NULL",
                    String.class,
                    (Object) ids.toArray(String[]::new));
            for (String w : on) {
                if (workers.containsKey(w)) {
                    return w;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no job of " + ids.size() + " ran on a live worker within " + timeout);
    }

    Instant kill9Worker(String id) throws InterruptedException {
        Process p = workers.remove(id);
        p.destroyForcibly(); // SIGKILL: no drain, no goodbye
        Instant at = dbNow();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("worker " + id + " survived SIGKILL");
        }
        return at;
    }

    Instant dbNow() {
        return jdbc.queryForObject("SELECT clock_timestamp()", Timestamp.class).toInstant();
    }

    /** Starts {@code gh worker} (2 lanes) as a new process and waits until it has registered. */
    void startWorker() throws Exception {
        String id = "chaos-w" + workerSeq.incrementAndGet();
        Map<String, String> env = baseEnv();
        env.put("GH_WORKER_PORT", String.valueOf(TestTemporal.freePort()));
        env.put("GH_PUBLIC_URL", apiBase);
        env.put("GH_RETRY_BACKOFF_SECONDS", "1");
        // callbacks retried at most 15 s apart (default 5 min), so the callback-down scenario's recovery
        // measures the delivery, not the backoff's last wait
        env.put("GH_CALLBACK_MAX_INTERVAL", "15s");
        Process p = gh(id, env, "worker", "--worker-id=" + id, "--concurrency=2");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException("worker " + id + " exited; see " + logs.resolve(id + ".log"));
            }
            Integer n = jdbc.queryForObject(
                    "SELECT count(*) FROM gh_worker_registry WHERE worker_id = ? AND status = 'active'",
                    Integer.class,
                    id);
            if (n != null && n > 0) {
                workers.put(id, p);
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("worker " + id + " did not register within 180 s");
    }

    Process startApi(int port) throws IOException {
        Map<String, String> env = baseEnv();
        env.put("GH_PORT", String.valueOf(port));
        return gh("api-" + port + "-" + System.nanoTime(), env, "api");
    }

    private Map<String, String> baseEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DATABASE_URL", databaseUrl);
        env.put("TEMPORAL_ADDRESS", temporal.address());
        env.put("TEMPORAL_NAMESPACE", namespace);
        env.put("GH_SERVICE_KEY", TestStack.SERVICE_KEY);
        env.put("GH_ALLOW_PRIVATE_NETWORKS", "true"); // the site is on loopback
        env.put("GH_CHROMIUM_ARGS", TestStack.LOOPBACK_ONLY);
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        return env;
    }

    private Process gh(String name, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                new File(System.getProperty("java.home"), "bin/java").getPath(), "-Xmx512m", "-jar", ghJar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true);
        builder.redirectOutput(logs.resolve(name + ".log").toFile());
        Process p = builder.start();
        started.add(p);
        return p;
    }

    static void awaitHealthy(String base, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            try {
                HttpResponse<String> r = HTTP.send(
                        HttpRequest.newBuilder(URI.create(base + "/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("gh api at " + base + " not healthy within " + timeout);
    }

    String createApply(String base, int slowMs, String key) throws Exception {
        return createApply(base, slowMs, key, null);
    }

    String createApply(String base, int slowMs, String key, String callbackUrl) throws Exception {
        HttpResponse<String> r =
                postJob(base, applyBody(site.jobUrl(slowMs), key, callbackUrl), Duration.ofSeconds(30));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("create answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).path("id").asString();
    }

    static String applyBody(String url, String key) {
        return applyBody(url, key, null);
    }

    static String applyBody(String url, String key, String callbackUrl) {
        return "{\"job_type\":\"apply\",\"target_url\":\"" + url + "\",\"max_retries\":3"
                + (callbackUrl == null ? "" : ",\"callback_url\":\"" + callbackUrl + "\"")
                + (key == null ? "" : ",\"idempotency_key\":\"" + key + "\"")
                + ",\"input_data\":{\"user_data\":{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
                + "\"email\":\"ada@example.com\"}}}";
    }

    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path locate(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found: build it first (mvn -DskipTests -pl cli -am package)");
    }
}
