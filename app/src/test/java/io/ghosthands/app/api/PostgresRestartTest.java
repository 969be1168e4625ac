package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.PrivatePostgres;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * GhostHands (API and worker in one process) on a PostgreSQL server of this test's own
 * ({@link PrivatePostgres}: never the shared one), which is shut down ({@code pg_ctl stop -m fast})
 * and later crashed ({@code kill -9} of the postmaster) while an application is mid-way, and started
 * again each time on the same port and data: while it is away the API answers 503 JSON
 * {@code database_unavailable} (never a 500); once it is back, creates succeed again within seconds
 * (the connection pool recovers), and the applications in flight finish, each sent to the site once.
 */
class PostgresRestartTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String DB = "gh_pg_restart";

    @Test
    void aPostgresRestartOrCrashIsA503MeanwhileAndLosesNothing() throws Exception {
        Assumptions.assumeTrue(PrivatePostgres.binaries().isPresent(), "no initdb/pg_ctl on this machine");
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("gh.api.reconcile-after-seconds", 5);
        props.put("gh.api.reconcile-interval-ms", 1000);
        try (PrivatePostgres pg = PrivatePostgres.start(DB);
                TestPages pages = new TestPages();
                TestStack stack = TestStack.startOnDatabase(pg.url(DB), "pgrestart", GhostHands.Roles.DEV, props)) {
            ApiClient api = stack.api();
            JdbcTemplate jdbc = new JdbcTemplate(pg.dataSource(DB));

            // 1: a clean shutdown, then 2: a crash, each with an application mid-way
            for (String fault : new String[] {"stop -m fast", "kill -9"}) {
                int submittedBefore = pages.submissions();
                String applying = created(
                        api.post("/api/v1/gh/jobs", apply(pages.url("/slow-job?ms=6000"), "pg-" + UUID.randomUUID())));
                api.awaitJob(applying, j -> j.path("status").asString().equals("running"), WAIT);
                Thread.sleep(1000); // its first page is still loading

                if (fault.startsWith("stop")) {
                    pg.stopFast();
                } else {
                    pg.kill9();
                }
                // while it is away: 503 JSON naming the cause, for creates and reads, and nothing created
                String key = "pg-down-" + UUID.randomUUID();
                Answer refused = api.post("/api/v1/gh/jobs", apply(pages.url("/slow-job?ms=0"), key));
                assertThat(refused.status())
                        .as("%s: create answered %s", fault, refused.json())
                        .isEqualTo(503);
                assertThat(refused.json().path("error").asString()).isEqualTo("database_unavailable");
                assertThat(refused.raw().headers().firstValue("X-Request-Id")).isPresent();
                Answer read = api.get("/api/v1/gh/jobs/" + applying);
                assertThat(read.status())
                        .as("%s: read answered %s", fault, read.json())
                        .isEqualTo(503);
                assertThat(read.json().path("error").asString()).isEqualTo("database_unavailable");
                Thread.sleep(5000);

                pg.start();
                long back = System.nanoTime();
                // the same request (same idempotency key) is accepted once the database is back
                Answer again = null;
                while (System.nanoTime() - back < Duration.ofSeconds(30).toNanos()) {
                    again = api.post("/api/v1/gh/jobs", apply(pages.url("/slow-job?ms=0"), key));
                    if (again.status() != 503) {
                        break;
                    }
                    Thread.sleep(250);
                }
                assertThat(again.status())
                        .as("%s: create after the restart answered %s", fault, again.json())
                        .isEqualTo(201);
                System.out.printf(
                        "PostgresRestartTest: %s: creates accepted again %.1f s after the restart%n",
                        fault, (System.nanoTime() - back) / 1e9);
                String afterId = again.json().path("id").asString();

                JsonNode done = api.awaitJob(applying, ApiClient::terminal, WAIT);
                System.out.printf(
                        "PostgresRestartTest: %s: the job in flight ended %s; its events:%n%s%n",
                        fault, done.path("status").asString(), events(jdbc, applying));
                assertThat(done.path("status").asString())
                        .as("%s: %s\nits events:\n%s", fault, done, events(jdbc, applying))
                        .isEqualTo("completed");
                assertThat(api.awaitJob(afterId, ApiClient::terminal, WAIT)
                                .path("status")
                                .asString())
                        .isEqualTo("completed");
                assertThat(pages.submissions() - submittedBefore)
                        .as("%s: applications the site received (one per job)", fault)
                        .isEqualTo(2);
                assertThat(jdbc.queryForObject(
                                "SELECT count(*) FROM gh_automation_jobs WHERE idempotency_key = ?",
                                Integer.class,
                                key))
                        .as("one job for the key sent during and after the outage")
                        .isEqualTo(1);
            }
        }
    }

    /** The job's events, one line each, for a failure's message. */
    private static String events(JdbcTemplate jdbc, String id) {
        return String.join(
                "\n",
                jdbc.queryForList(
                        "SELECT created_at || ' ' || event_type || ' ' || coalesce(message, '')"
                                + " || ' ' || coalesce(metadata::text, '') FROM gh_job_events WHERE job_id = ? ORDER BY created_at",
                        String.class,
                        UUID.fromString(id)));
    }

    private static String apply(String url, String key) {
        return "{\"job_type\":\"apply\",\"target_url\":\"" + url + "\",\"max_retries\":3,\"idempotency_key\":\"" + key
                + "\",\"input_data\":{\"user_data\":{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
                + "\"email\":\"ada@example.com\"}}}";
    }

    private static String created(Answer answer) {
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(201);
        return answer.json().path("id").asString();
    }
}
