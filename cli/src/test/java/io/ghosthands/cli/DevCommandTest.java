package io.ghosthands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.RealTemporal;
import io.ghosthands.app.support.TestDatabase;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestTemporal;
import io.ghosthands.temporaldev.TemporalDevServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code gh dev} as a user runs it, in its own process: it starts the embedded Temporal, the API and
 * a worker, prints where they listen and a generated key, runs a job, and stops cleanly on SIGTERM.
 */
class DevCommandTest {

    @Test
    void linksToLoopbackAreWarnedAboutOnlyWhenTheApiListensBeyondIt() {
        // unset GH_PUBLIC_URL: links are http://localhost:<port>
        assertThat(LinkCheck.warning("", "", "8080"))
                .hasValueSatisfying(w -> assertThat(w)
                        .contains("http://localhost:8080")
                        .contains("all addresses")
                        .contains("GH_PUBLIC_URL"));
        assertThat(LinkCheck.warning(null, "0.0.0.0", "8080")).isPresent();
        assertThat(LinkCheck.warning("", "10.0.0.5", "8080"))
                .hasValueSatisfying(w -> assertThat(w).contains("10.0.0.5"));
        assertThat(LinkCheck.warning("http://127.0.0.1:8080", "", "8080")).isPresent();
        assertThat(LinkCheck.warning("http://[::1]:8080/", "", "8080")).isPresent();
        // listening on loopback only: localhost links are right
        assertThat(LinkCheck.warning("", "127.0.0.1", "8080")).isEmpty();
        assertThat(LinkCheck.warning("", "localhost", "8080")).isEmpty();
        assertThat(LinkCheck.warning("", "::1", "8080")).isEmpty();
        // a public URL that others can reach
        assertThat(LinkCheck.warning("https://gh.example.com", "", "8080")).isEmpty();
        assertThat(LinkCheck.warning("http://10.0.0.5:8080", "", "8080")).isEmpty();
    }

    @Test
    void devStartsTheWholeStackRunsAJobAndStopsCleanly() throws Exception {
        TestDatabase db = TestDatabase.createEmpty("cli_dev");
        int apiPort = TestTemporal.freePort();
        int workerPort = TestTemporal.freePort();
        int temporalPort = TestTemporal.freePort();
        String jdbc = db.url().jdbcUrl();
        String databaseUrl =
                jdbc.replace("jdbc:postgresql://", "postgresql://" + db.url().user() + "@");

        Map<String, String> env = new HashMap<>();
        env.put("GH_SERVICE_KEY", null); // let it generate one, as for a newcomer
        env.put("GH_PORT", String.valueOf(apiPort));
        env.put("GH_WORKER_PORT", String.valueOf(workerPort));
        env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
        env.put("DATABASE_URL", databaseUrl);
        env.put("GH_TEMPORAL", "embedded"); // the fallback without the Temporal CLI (the CLI: the test below)
        GhProcess gh = GhProcess.start(env, List.of(), "dev");
        Process process = gh.process;
        BlockingQueue<String> lines = gh.lines;

        List<String> seen = new ArrayList<>();
        String key = null;
        try (TestPages pages = new TestPages()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Pattern keyLine = Pattern.compile("X-GH-Service-Key: (gh_dev_[A-Za-z0-9_-]+)");
            // the banner ends with the curl example; the warning, when there is one, comes before it
            while ((key == null || seen.stream().noneMatch(l -> l.contains("-d '{")))
                    && System.nanoTime() < deadline
                    && process.isAlive()) {
                String line = lines.poll(1, TimeUnit.SECONDS);
                if (line != null) {
                    seen.add(line);
                    Matcher m = keyLine.matcher(line);
                    if (m.find() && line.contains("generated")) {
                        key = m.group(1);
                    }
                }
            }
            assertThat(key).as("gh dev output: %s", seen).isNotNull();
            String banner = String.join("\n", seen);
            assertThat(banner).contains("http://localhost:" + apiPort + "/api/v1/gh");
            assertThat(banner).contains("status http://localhost:" + workerPort + "/worker/status");
            assertThat(banner)
                    .contains("127.0.0.1:" + temporalPort + " (embedded dev server")
                    .contains("no Web UI, and jobs are lost when gh dev stops");
            // no GH_PUBLIC_URL, and the API listens on every address: links to localhost would not work elsewhere
            assertThat(banner)
                    .contains("Warning: screenshot and trace links will start with http://localhost:" + apiPort
                            + ", but the API listens on all addresses")
                    .contains("Set GH_PUBLIC_URL");

            ApiClient api = new ApiClient("http://127.0.0.1:" + apiPort, key);
            ApiClient.Answer created = api.post(
                    "/api/v1/gh/jobs",
                    "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/job")
                            + "\",\"task_description\":\"cli\"}");
            assertThat(created.status()).isEqualTo(201);
            JsonNode job =
                    api.awaitJob(created.json().path("id").asString(), ApiClient::terminal, Duration.ofSeconds(60));
            assertThat(job.path("status").asString()).isEqualTo("completed");
            assertThat(job.path("result_data").path("page_title").asString()).isEqualTo(TestPages.JOB_TITLE);
        } finally {
            process.destroy(); // SIGTERM, as Ctrl-C or a service manager would
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            assertThat(exited).as("gh dev stops on SIGTERM").isTrue();
        }
        assertThat(new JdbcTemplate(db.dataSource())
                        .queryForList("SELECT status FROM gh_worker_registry", String.class))
                .containsOnly("offline");
    }

    /**
     * With the Temporal CLI installed, {@code gh dev} runs {@code temporal server start-dev} with its
     * state in a file and the Web UI, registers the search attributes, and a job queued when gh dev
     * stops runs after it starts again; the server child stops with gh dev.
     */
    @Test
    void devRunsTheTemporalCliServerAndAQueuedJobSurvivesARestart() throws Exception {
        RealTemporal.binaryOrSkip();
        TestDatabase db = TestDatabase.createEmpty("cli_dev_cli");
        Path dir = Files.createTempDirectory("gh-dev-temporal-");
        int apiPort = TestTemporal.freePort();
        int temporalPort = TestTemporal.freePort();
        int uiPort = TestTemporal.freePort();
        String key = "cli-dev-key";
        Map<String, String> env = new HashMap<>();
        env.put("GH_SERVICE_KEY", key);
        env.put("GH_PORT", String.valueOf(apiPort));
        env.put("GH_WORKER_PORT", String.valueOf(TestTemporal.freePort()));
        env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
        env.put("GH_TEMPORAL_UI_PORT", String.valueOf(uiPort));
        env.put("GH_TEMPORAL_DB", dir.resolve("dev.db").toString());
        env.put("GH_TEMPORAL", null);
        env.put(
                "DATABASE_URL",
                db.url()
                        .jdbcUrl()
                        .replace(
                                "jdbc:postgresql://", "postgresql://" + db.url().user() + "@"));
        ApiClient api = new ApiClient("http://127.0.0.1:" + apiPort, key);
        try (TestPages pages = new TestPages()) {
            GhProcess first = GhProcess.start(env, List.of(), "dev");
            String id;
            try {
                String banner = awaitBanner(first);
                assertThat(banner)
                        .contains("127.0.0.1:" + temporalPort + " (temporal server start-dev; jobs kept in "
                                + dir.resolve("dev.db"))
                        .contains("Web UI     http://localhost:" + uiPort + "/namespaces/default/workflows");
                HttpResponse<String> ui = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(ui.statusCode()).as("the Temporal Web UI answers").isEqualTo(200);

                // a job that waits for its scheduled_at while gh dev is down
                Instant at = Instant.now().plusSeconds(6);
                ApiClient.Answer created = api.post(
                        "/api/v1/gh/jobs",
                        "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/job") + "\",\"scheduled_at\":\"" + at
                                + "\"}");
                assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
                id = created.json().path("id").asString();
                api.awaitJob(id, j -> j.path("status").asString().equals("queued"), Duration.ofSeconds(30));
                String workflows = run(List.of(
                        RealTemporal.binaryOrSkip().toString(),
                        "workflow",
                        "list",
                        "--address",
                        "127.0.0.1:" + temporalPort,
                        "--query",
                        "GhStatus='queued' AND GhJobType='scrape'"));
                assertThat(workflows).contains("gh-job-" + id);
            } finally {
                stop(first);
            }
            assertThat(TemporalDevServer.probe("127.0.0.1", temporalPort))
                    .as("the Temporal server stopped with gh dev")
                    .isEqualTo(TemporalDevServer.Probe.NOTHING);

            GhProcess second = GhProcess.start(env, List.of(), "dev");
            try {
                awaitBanner(second);
                JsonNode job = api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(60));
                assertThat(job.path("status").asString()).as("%s", job).isEqualTo("completed");
                assertThat(job.path("result_data").path("page_title").asString())
                        .isEqualTo(TestPages.JOB_TITLE);
            } finally {
                stop(second);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static String awaitBanner(GhProcess gh) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen.stream().noneMatch(l -> l.contains("-d '{"))
                && System.nanoTime() < deadline
                && gh.process.isAlive()) {
            String line = gh.lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                seen.add(line);
            }
        }
        assertThat(seen).as("gh dev output: %s", seen).anyMatch(l -> l.contains("-d '{"));
        return String.join("\n", seen);
    }

    private static void stop(GhProcess gh) throws InterruptedException {
        gh.process.destroy();
        boolean exited = gh.process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            gh.process.destroyForcibly();
        }
        assertThat(exited).as("gh dev stops on SIGTERM: %s", gh.output()).isTrue();
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
