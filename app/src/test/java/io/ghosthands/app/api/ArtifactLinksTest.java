package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * With {@code GH_PUBLIC_URL} set, the links a job's artifacts get (screenshots, its trace) start with
 * it, not with {@code http://localhost:<port>}, and open without the service key.
 */
class ArtifactLinksTest {

    private static TestStack stack;
    private static TestPages pages;
    private static String publicUrl;

    @BeforeAll
    static void start() {
        int port = TestTemporal.freePort();
        // the name clients reach this API by (here another name for the same loopback port)
        publicUrl = "http://127.0.0.1:" + port;
        stack = TestStack.start(
                "links", GhostHands.Roles.DEV, Map.of("server.port", port, "gh.public-url", publicUrl + "/"));
        pages = new TestPages();
    }

    @AfterAll
    static void stop() {
        pages.close();
        stack.close();
    }

    @Test
    void screenshotAndTraceLinksAreBuiltOnThePublicUrlAndOpenWithoutTheKey() throws Exception {
        ApiClient api = stack.api();
        ApiClient.Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/job")
                        + "\",\"task_description\":\"links\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode job = api.awaitJob(created.json().path("id").asString(), ApiClient::terminal, Duration.ofSeconds(60));
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("completed");

        String prefix = publicUrl + "/api/v1/gh/artifacts/";
        String screenshot = job.path("screenshot_urls").get(0).asString();
        String trace = job.path("result_data").path("trace_url").asString();
        assertThat(screenshot).startsWith(prefix);
        assertThat(job.path("result_data").path("screenshot_url").asString()).startsWith(prefix);
        assertThat(trace).startsWith(prefix);
        HttpClient http = HttpClient.newHttpClient();
        for (String link : new String[] {screenshot, trace}) {
            HttpResponse<byte[]> opened = http.send(
                    HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(opened.statusCode()).as(link).isEqualTo(200);
            assertThat(opened.body().length).isPositive();
        }
    }
}
