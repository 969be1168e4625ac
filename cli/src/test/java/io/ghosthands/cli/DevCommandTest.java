package io.ghosthands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestDatabase;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestTemporal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    assertThat(LinkCheck.warning("", "", "8080")).hasValueSatisfying(w -> assertThat(w)
        .contains("http://localhost:8080").contains("all addresses").contains("GH_PUBLIC_URL"));
    assertThat(LinkCheck.warning(null, "0.0.0.0", "8080")).isPresent();
    assertThat(LinkCheck.warning("", "10.0.0.5", "8080")).hasValueSatisfying(w -> assertThat(w).contains("10.0.0.5"));
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
    String databaseUrl = jdbc.replace("jdbc:postgresql://", "postgresql://" + db.url().user() + "@");

    Map<String, String> env = new java.util.HashMap<>();
    env.put("GH_SERVICE_KEY", null); // let it generate one, as for a newcomer
    env.put("GH_PORT", String.valueOf(apiPort));
    env.put("GH_WORKER_PORT", String.valueOf(workerPort));
    env.put("TEMPORAL_ADDRESS", "127.0.0.1:" + temporalPort);
    env.put("DATABASE_URL", databaseUrl);
    GhProcess gh = GhProcess.start(env, List.of(), "dev");
    Process process = gh.process;
    BlockingQueue<String> lines = gh.lines;

    List<String> seen = new ArrayList<>();
    String key = null;
    try (TestPages pages = new TestPages()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      Pattern keyLine = Pattern.compile("X-GH-Service-Key: (gh_dev_[A-Za-z0-9_-]+)");
      // the banner ends with the curl example; the warning, when there is one, comes before it
      while ((key == null || seen.stream().noneMatch(l -> l.contains("-d '{"))) && System.nanoTime() < deadline
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
      assertThat(banner).contains("127.0.0.1:" + temporalPort + " (embedded dev server");
      // no GH_PUBLIC_URL, and the API listens on every address: links to localhost would not work elsewhere
      assertThat(banner).contains("Warning: screenshot and trace links will start with http://localhost:" + apiPort
          + ", but the API listens on all addresses").contains("Set GH_PUBLIC_URL");

      ApiClient api = new ApiClient("http://127.0.0.1:" + apiPort, key);
      ApiClient.Answer created = api.post("/api/v1/gh/jobs",
          "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/job") + "\",\"task_description\":\"cli\"}");
      assertThat(created.status()).isEqualTo(201);
      JsonNode job = api.awaitJob(created.json().path("id").asString(), ApiClient::terminal, Duration.ofSeconds(60));
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
    assertThat(new JdbcTemplate(db.dataSource()).queryForList("SELECT status FROM gh_worker_registry", String.class))
        .containsOnly("offline");
  }
}
