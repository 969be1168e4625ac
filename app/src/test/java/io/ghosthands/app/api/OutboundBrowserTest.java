package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.callback.CallbackActivitiesImpl;
import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.CallbackReceiver;
import io.ghosthands.app.support.TestStack;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The outbound URL policy where jobs run: in the browser, for every request and redirect of a
 * job's page, and in the callback sender, before each delivery. One stack as production runs
 * (private networks refused), in Chromium; only the test's page server and callback receiver are
 * exempt loopback ports. A second loopback server stands in for GhostHands' own API port, and a
 * third for any other service on this machine: both count the requests that reach them.
 */
class OutboundBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    private static TestStack stack;
    private static ApiClient api;
    private static JdbcTemplate jdbc;
    private static OutboundUrlPolicy policy;
    private static Counting ownPort;
    private static Counting elsewhere;
    private static HttpServer pages;
    private static CallbackReceiver receiver;

    /** A loopback server that answers every request with a page holding a secret, and counts them. */
    static final class Counting implements AutoCloseable {
        final HttpServer server;
        final AtomicInteger hits = new AtomicInteger();

        Counting(String secret) throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/", ex -> {
                hits.incrementAndGet();
                send(
                        ex,
                        200,
                        "text/html",
                        "<title>" + secret + "</title><pre>{\"worker_id\":\"" + secret + "\"}</pre>");
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        ex.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        stack = TestStack.start(
                "outbound_browser",
                GhostHands.Roles.DEV,
                Map.of(
                        "gh.network.allow-private-networks",
                        false,
                        "gh.callbacks.key-hosts",
                        "127.0.0.1",
                        "gh.jobs.retry-backoff-seconds",
                        1));
        api = stack.api();
        jdbc = new JdbcTemplate(stack.dataSource());
        policy = stack.outboundPolicy();
        ownPort = new Counting("SECRET-OWN-PORT");
        elsewhere = new Counting("SECRET-ELSEWHERE");
        policy.addOwnPort(ownPort.port()); // stands in for the API's port
        receiver = new CallbackReceiver();

        pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        pages.createContext(
                "/subresources",
                ex -> send(
                        ex,
                        200,
                        "text/html",
                        "<title>Subresources</title><h1>Careers</h1>"
                                + "<img src='" + ownPort.url("/own.png") + "'>"
                                + "<img src='" + elsewhere.url("/elsewhere.png") + "'>"
                                + "<img src='http://169.254.169.254/latest/meta-data/'>"
                                + "<iframe src='" + ownPort.url("/worker/status") + "'></iframe>"
                                + "<script>fetch('" + elsewhere.url("/api") + "').catch(() => {});</script>"));
        pages.createContext(
                "/js-away",
                ex -> send(
                        ex,
                        200,
                        "text/html",
                        "<title>Going</title><script>location.replace('" + ownPort.url("/worker/status")
                                + "')</script>"));
        pages.createContext("/redirect", ex -> {
            ex.getResponseHeaders().set("Location", ownPort.url("/worker/status"));
            send(ex, 302, "text/plain", "moved");
        });
        pages.createContext("/plain", ex -> send(ex, 200, "text/html", "<title>Plain</title><p>hello</p>"));
        pages.start();
        // the only loopback ports this production-like stack may reach: the test's own page server and
        // callback receiver (an own port would stay refused even so)
        policy.exemptLoopbackPort(pages.getAddress().getPort());
        policy.exemptLoopbackPort(URI.create(receiver.url("/")).getPort());
    }

    @AfterAll
    static void stop() {
        if (pages != null) {
            pages.stop(0);
        }
        ownPort.close();
        elsewhere.close();
        receiver.close();
        stack.close();
    }

    private static String page(String path) {
        return "http://127.0.0.1:" + pages.getAddress().getPort() + path;
    }

    private static String create(String body) {
        ApiClient.Answer answer = api.post("/api/v1/gh/jobs", body);
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(201);
        return answer.json().path("id").asString();
    }

    private static JsonNode finished(String id) {
        return api.awaitJob(id, ApiClient::terminal, WAIT);
    }

    private static List<Map<String, Object>> events(String id, String type) {
        return jdbc.queryForList(
                "SELECT message, metadata::text AS metadata FROM gh_job_events"
                        + " WHERE job_id = ?::uuid AND event_type = ? ORDER BY created_at",
                id,
                type);
    }

    @Test
    void aPagesRequestsToOwnPortsOtherLoopbackServicesAndMetadataAreAbortedBeforeTheyConnect() {
        int ownBefore = ownPort.hits.get();
        int elsewhereBefore = elsewhere.hits.get();
        String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + page("/subresources") + "\"}");
        JsonNode job = finished(id);
        // the page itself is fine: the job completes without what it was refused
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("completed");
        assertThat(job.path("result_data").path("page_title").asString()).isEqualTo("Subresources");
        assertThat(ownPort.hits.get())
                .as("requests that reached the API's stand-in")
                .isEqualTo(ownBefore);
        assertThat(elsewhere.hits.get())
                .as("requests that reached another loopback service")
                .isEqualTo(elsewhereBefore);
        String blocked = events(id, "requests_blocked").toString();
        assertThat(blocked)
                .contains("own_port")
                .contains("loopback")
                .contains("metadata")
                .contains(ownPort.url("/worker/status"))
                .contains("169.254.169.254");
    }

    @Test
    void aPageThatNavigatesToARefusedAddressFailsTheJobWithBlockedAddressAndIsNotRetried() {
        int before = ownPort.hits.get();
        String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + page("/js-away") + "\",\"max_retries\":2}");
        JsonNode job = finished(id);
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("failed");
        assertThat(job.path("error_code").asString()).isEqualTo("network_error");
        assertThat(job.path("error_details").path("reason").asString()).isEqualTo("blocked_address");
        assertThat(job.path("error_details").path("refused").asString()).isEqualTo("own_port");
        assertThat(job.path("error_details").path("blocked_url").asString()).isEqualTo(ownPort.url("/worker/status"));
        assertThat(job.path("retry_count").asInt())
                .as("refused again on every attempt: not retried")
                .isZero();
        assertThat(ownPort.hits.get()).isEqualTo(before);
        assertThat(job.toString()).doesNotContain("SECRET-OWN-PORT");
    }

    @Test
    void aServerRedirectToARefusedAddressFailsTheJobAndKeepsNothingOfWhatItLoaded() {
        // Playwright lets Chromium follow redirect hops without a route: the hop is judged as it
        // starts and fails the job; it may reach the address (a blind request, see README "Security")
        String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + page("/redirect") + "\",\"max_retries\":2}");
        JsonNode job = finished(id);
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("failed");
        assertThat(job.path("error_code").asString()).isEqualTo("network_error");
        assertThat(job.path("error_details").path("reason").asString()).isEqualTo("blocked_address");
        assertThat(job.path("error_details").path("redirect").asBoolean()).isTrue();
        assertThat(job.path("retry_count").asInt()).isZero();
        // no title, text, URL content or screenshot of the refused page in the job
        assertThat(job.toString()).doesNotContain("SECRET-OWN-PORT");
        assertThat(job.path("screenshot_urls").size()).isZero();
    }

    @Test
    void theServiceKeyGoesOnlyToListedCallbackHostsAndEveryReceiverGetsTheSignature() throws Exception {
        String listed = receiver.url("/listed");
        String unlisted = listed.replace("127.0.0.1", "localhost").replace("/listed", "/unlisted");
        String a = create("{\"job_type\":\"scrape\",\"target_url\":\"" + page("/plain") + "\",\"callback_url\":\""
                + listed + "\"}");
        String b = create("{\"job_type\":\"scrape\",\"target_url\":\"" + page("/plain") + "\",\"callback_url\":\""
                + unlisted + "\"}");
        receiver.await(a, "completed");
        receiver.await(b, "completed");
        for (CallbackReceiver.Hit hit : receiver.hits(a)) {
            assertThat(hit.header("X-GH-Service-Key"))
                    .as("listed host %s", hit.status())
                    .isEqualTo(TestStack.SERVICE_KEY);
            assertSigned(hit);
        }
        assertThat(receiver.hits(b)).isNotEmpty();
        for (CallbackReceiver.Hit hit : receiver.hits(b)) {
            assertThat(hit.path()).isEqualTo("/unlisted");
            assertThat(hit.header("X-GH-Service-Key"))
                    .as("unlisted host %s", hit.status())
                    .isNull();
            assertSigned(hit);
        }
    }

    private static void assertSigned(CallbackReceiver.Hit hit) {
        String expected = "sha256="
                + CallbackActivitiesImpl.signature(
                        TestStack.SERVICE_KEY.getBytes(StandardCharsets.UTF_8),
                        hit.header("X-GH-Timestamp"),
                        hit.body());
        assertThat(hit.header("X-GH-Signature")).isEqualTo(expected);
    }

    @Test
    void theCallbackSenderChecksTheUrlAgainBeforeEachDelivery() throws Exception {
        try (CallbackReceiver late = new CallbackReceiver()) {
            int port = URI.create(late.url("/")).getPort();
            policy.exemptLoopbackPort(port);
            String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + page("/plain") + "\",\"callback_url\":\""
                    + late.url("/cb") + "\",\"scheduled_at\":\""
                    + OffsetDateTime.now().plusSeconds(3) + "\"}");
            // accepted at create; by delivery time the port is GhostHands' own (as a DNS answer may
            // change between create and delivery)
            policy.addOwnPort(port);
            JsonNode job = finished(id);
            assertThat(job.path("status").asString())
                    .as("a callback never fails its job")
                    .isEqualTo("completed");
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (events(id, "callback_failed").size() < 2 && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            List<Map<String, Object>> failed = events(id, "callback_failed");
            assertThat(failed).isNotEmpty();
            assertThat(failed.get(0).get("metadata").toString())
                    .contains("blocked_address")
                    .contains("own_port");
            assertThat(late.hits(id)).isEmpty();
            assertThat(events(id, "callback_delivered")).isEmpty();
        }
    }
}
