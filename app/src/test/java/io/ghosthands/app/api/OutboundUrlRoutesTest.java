package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.TestStack;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Every create route refuses a {@code target_url} or {@code callback_url} the outbound URL policy
 * refuses — 422 naming the field, no row — with private networks refused (production) and allowed
 * ({@code gh dev}, tests), where link-local, metadata and GhostHands' own ports stay refused. Names
 * are judged by what they resolve to ({@code .mvn/test-hosts}: rebind.test is 127.0.0.1,
 * metadata-alias.test 169.254.169.254, intranet.test 10.9.8.7); one that resolves to nothing passes.
 */
class OutboundUrlRoutesTest {

    private static TestStack strict;
    private static TestStack open;

    @BeforeAll
    static void start() {
        strict = TestStack.start(
                "outbound_strict", GhostHands.Roles.API, Map.of("gh.network.allow-private-networks", false));
        open = TestStack.start("outbound_open", GhostHands.Roles.API, Map.of());
    }

    @AfterAll
    static void stop() {
        strict.close();
        open.close();
    }

    /** Refused whatever GH_ALLOW_PRIVATE_NETWORKS says. */
    static List<String> alwaysRefused(TestStack stack) {
        int apiPort = URI.create(stack.api().baseUrl()).getPort();
        return List.of(
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "http://0xa9fea9fe/latest/meta-data/",
                "http://2852039166/",
                "http://[::ffff:169.254.169.254]/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://metadata-alias.test/",
                "http://[fe80::1]/",
                "http://169.254.10.10:8080/",
                "http://127.0.0.1:" + apiPort + "/api/v1/gh/jobs",
                "http://localhost:" + apiPort + "/health",
                "http://0x7f000001:" + apiPort + "/",
                "http://127.0.0.1:3101/worker/drain", // GH_WORKER_PORT's default, configured in every process
                "http://[::1]:3101/worker/status",
                "ftp://example.com/file");
    }

    /** Refused only while private networks are. */
    static final List<String> PRIVATE = List.of(
            "http://127.0.0.1:9/",
            "http://0x7f000001/",
            "http://2130706433/",
            "http://017700000001/",
            "http://evil@127.0.0.1/",
            "http://jobs.example.com:443@127.0.0.1/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://localhost./",
            "http://rebind.test/",
            "http://10.0.0.8/",
            "http://172.20.1.1/",
            "http://192.168.1.1/",
            "http://100.64.3.4/",
            "http://[fd00::5]/",
            "http://intranet.test/");

    private static long rows(TestStack stack) {
        return new JdbcTemplate(stack.dataSource())
                .queryForObject("SELECT count(*) FROM gh_automation_jobs", Long.class);
    }

    private static void assertRefused(TestStack stack, String route, String body, String field, String url) {
        long before = rows(stack);
        Answer answer = stack.api().post(route, body);
        assertThat(answer.status()).as("%s %s: %s", route, url, answer.json()).isEqualTo(422);
        assertThat(answer.json().path("error").asString()).isEqualTo("validation_error");
        JsonNode detail = null;
        for (JsonNode d : answer.json().path("details")) {
            if (d.path("field").asString().equals(field)) {
                detail = d;
            }
        }
        assertThat(detail).as("%s names %s: %s", route, field, answer.json()).isNotNull();
        if (!url.startsWith("ftp:")) {
            assertThat(detail.path("code").asString()).as("%s", url).isEqualTo("blocked_address");
            assertThat(detail.path("message").asString()).as("%s", url).isNotBlank();
        }
        assertThat(rows(stack)).as("no row for %s", url).isEqualTo(before);
    }

    private static String job(String target, String callback) {
        return "{\"job_type\":\"scrape\",\"target_url\":\"" + target + "\""
                + (callback == null ? "" : ",\"callback_url\":\"" + callback + "\"") + "}";
    }

    private static void assertRefusedEverywhere(TestStack stack, String url) {
        assertRefused(stack, "/api/v1/gh/jobs", job(url, null), "target_url", url);
        assertRefused(stack, "/api/v1/gh/jobs", job("https://jobs.example.com/1", url), "callback_url", url);
        assertRefused(
                stack,
                "/api/v1/gh/jobs/batch",
                "{\"jobs\":[" + job("https://jobs.example.com/1", null) + "," + job(url, null) + "]}",
                "jobs[1].target_url",
                url);
        assertRefused(
                stack,
                "/api/v1/gh/jobs/batch",
                "{\"jobs\":[" + job("https://jobs.example.com/1", null) + "],\"defaults\":{\"callback_url\":\"" + url
                        + "\"}}",
                "jobs[0].callback_url",
                url);
        assertRefused(
                stack,
                "/api/v1/gh/valet/apply",
                "{\"valet_task_id\":\"t-" + UUID.randomUUID() + "\",\"target_url\":\"" + url
                        + "\",\"profile\":{\"first_name\":\"Ada\"}}",
                "target_url",
                url);
        assertRefused(
                stack,
                "/api/v1/gh/valet/apply",
                "{\"valet_task_id\":\"t-" + UUID.randomUUID()
                        + "\",\"target_url\":\"https://jobs.example.com/1\",\"callback_url\":\"" + url + "\"}",
                "callback_url",
                url);
        assertRefused(
                stack,
                "/api/v1/gh/valet/task",
                "{\"valet_task_id\":\"t-" + UUID.randomUUID() + "\",\"job_type\":\"scrape\",\"target_url\":\"" + url
                        + "\"}",
                "target_url",
                url);
        assertRefused(
                stack,
                "/api/v1/gh/valet/task",
                "{\"valet_task_id\":\"t-" + UUID.randomUUID()
                        + "\",\"job_type\":\"scrape\",\"target_url\":\"https://jobs.example.com/1\",\"callback_url\":\""
                        + url
                        + "\"}",
                "callback_url",
                url);
    }

    @Test
    void withPrivateNetworksRefusedEveryHostileUrlIsA422NamingItsFieldAndWritesNothing() {
        List<String> all = new ArrayList<>(alwaysRefused(strict));
        all.addAll(PRIVATE);
        for (String url : all) {
            assertRefusedEverywhere(strict, url);
        }
    }

    @Test
    void withPrivateNetworksAllowedLinkLocalMetadataAndOwnPortsStayRefused() {
        for (String url : alwaysRefused(open)) {
            assertRefusedEverywhere(open, url);
        }
        for (String url : PRIVATE) {
            Answer created = open.api().post("/api/v1/gh/jobs", job(url, url));
            assertThat(created.status()).as("%s: %s", url, created.json()).isEqualTo(201);
        }
    }

    @Test
    void theMessageSaysWhyAndANameThatDoesNotResolveYetIsAccepted() {
        Answer refused = strict.api().post("/api/v1/gh/jobs", job("http://0x7f000001/", "http://169.254.169.254/"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("details").findValuesAsString("field"))
                .containsExactlyInAnyOrder("target_url", "callback_url");
        String messages = refused.json().path("details").toString();
        assertThat(messages).contains("127.0.0.1").contains("loopback").contains("metadata");

        // resolves to nothing here (the tests resolve names from a file): the site may resolve later
        Answer later = strict.api()
                .post(
                        "/api/v1/gh/jobs",
                        job(
                                "https://careers.not-yet-registered.example/apply",
                                "https://valet.example.com/api/v1/webhooks/ghosthands?token=t"));
        assertThat(later.status()).as("%s", later.json()).isEqualTo(201);
    }
}
