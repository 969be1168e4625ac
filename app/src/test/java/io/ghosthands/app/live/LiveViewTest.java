package io.ghosthands.app.live;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.activities.store.Json;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.CallbackReceiver;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.worker.WorkerRuntime;
import io.ghosthands.app.worker.WorkerSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Live takeover end to end: a job pauses on a challenge in the worker's real Chromium, and a human
 * solves it through the live view — here as VALET's relay does, raw CDP over
 * {@code /internal/cdp-proxy} (screenshots every 500 ms, mouse events) — and the job resumes by
 * itself once the challenge is gone. Also what must be refused: commands that reach beyond the page,
 * input while the job is not paused, requests without the key, and links that are foreign, forged,
 * expired or outlived their pause.
 */
class LiveViewTest {

    static final String CODE = "731904";

    static TestStack stack;
    static ApiClient api;
    static JdbcTemplate jdbc;
    static HttpServer site;
    static CallbackReceiver receiver;
    static final Map<String, Integer> robotClicks = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        stack = TestStack.startOnRealIfInstalled(
                "live",
                GhostHands.Roles.DEV,
                Map.of("gh.callbacks.max-interval", "2s", "gh.callbacks.key-hosts", "127.0.0.1"));
        api = stack.api();
        jdbc = new JdbcTemplate(stack.dataSource());
        receiver = new CallbackReceiver();
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        site.setExecutor(Executors.newCachedThreadPool());
        // a page behind a reCAPTCHA-style challenge that a human solves by clicking its box: the box
        // sits at a known place (CSS px 40..280 x 300..360) and clicking it removes the challenge
        site.createContext(
                "/robot",
                ex -> send(
                        ex,
                        "<!doctype html><html><head><title>Apply: Data Engineer</title>"
                                + "<style>body{margin:0;font:16px sans-serif} #box{position:absolute;left:40px;top:300px;width:240px;height:60px;"
                                + "border:2px solid #888;background:#f9f9f9;cursor:pointer}</style></head><body>"
                                + "<h1>Data Engineer</h1><div id='gate'><div class='g-recaptcha' data-sitekey='k' style='width:304px;height:78px'>"
                                + "<iframe title='reCAPTCHA' src='/widget' width='300' height='74'></iframe></div>"
                                + "<p>Please verify you are human: I'm not a robot</p>"
                                + "<div id='box' role='checkbox' aria-label='not a robot'></div></div>"
                                + "<script>document.getElementById('box').addEventListener('click', () => {"
                                + " fetch('/clicked' + location.search); document.getElementById('gate').remove(); });</script>"
                                + "</body></html>"));
        site.createContext("/clicked", ex -> {
            robotClicks.merge(String.valueOf(ex.getRequestURI().getQuery()), 1, Integer::sum);
            send(ex, "ok");
        });
        // a page that takes long to load: its job is running, not waiting for anybody
        site.createContext("/slow", ex -> {
            slowRequests.incrementAndGet();
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, "<!doctype html><title>slow</title><p>finally");
        });
        site.createContext("/widget", ex -> send(ex, "<html><body>widget</body></html>"));
        // a one-time-code page: the code typed and Enter pressed leads on
        site.createContext("/otp", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Location", form.contains("otp=" + CODE) ? "/welcome" : "/otp?wrong=1");
                ex.sendResponseHeaders(303, -1);
                ex.close();
                return;
            }
            send(
                    ex,
                    "<!doctype html><html><head><title>Verify it's you</title><style>body{margin:0;font:16px sans-serif}"
                            + " #otp{position:absolute;left:40px;top:200px;width:200px;height:40px}</style></head><body>"
                            + "<h1>Two-step verification</h1><p>We sent a 6-digit verification code to your phone.</p>"
                            + "<form method='post' action='/otp'><label for='otp'>Enter the code</label>"
                            + "<input id='otp' name='otp' autocomplete='one-time-code' inputmode='numeric' maxlength='6'>"
                            + "<button type='submit' style='position:absolute;left:40px;top:260px'>Verify</button></form></body></html>");
        });
        site.createContext(
                "/welcome",
                ex -> send(
                        ex,
                        "<!doctype html><html><head><title>Welcome back</title></head><body><h1>Your applications</h1></body></html>"));
        site.start();
    }

    @AfterAll
    static void stop() {
        site.stop(0);
        receiver.close();
        stack.close();
    }

    static void send(HttpExchange ex, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    static String url(String path) {
        return "http://127.0.0.1:" + site.getAddress().getPort() + path;
    }

    static String apiBase() {
        return api.baseUrl();
    }

    /** Creates a job on the page and waits for its needs_human callback; returns the callback. */
    static Map<String, Object> pausedJob(String path) throws InterruptedException {
        ApiClient.Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"custom\",\"target_url\":\"" + url(path)
                        + "\",\"task_description\":\"look\",\"callback_url\":\"" + receiver.url("/cb") + "\"}");
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        String id = created.json().path("id").asString();
        return receiver.await(id, "needs_human");
    }

    @SuppressWarnings("unchecked")
    static String liveUrl(Map<String, Object> needsHuman) {
        return (String) ((Map<String, Object>) needsHuman.get("interaction")).get("live_url");
    }

    static List<String> events(String id) {
        return jdbc.queryForList(
                "SELECT event_type FROM gh_job_events WHERE job_id = ? ORDER BY created_at",
                String.class,
                UUID.fromString(id));
    }

    /** A raw CDP client, as VALET's relay is. */
    static final class Cdp implements WebSocket.Listener {
        final List<Map<String, Object>> received = new CopyOnWriteArrayList<>();
        final Map<Long, CompletableFuture<Map<String, Object>>> answers = new ConcurrentHashMap<>();
        final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket ws;
        long nextId = 1;

        static Cdp connect(String query) throws Exception {
            Cdp cdp = new Cdp();
            cdp.ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(apiBase().replace("http", "ws") + "/internal/cdp-proxy" + query), cdp)
                    .get(10, TimeUnit.SECONDS);
            return cdp;
        }

        synchronized CompletableFuture<Map<String, Object>> send(String method, Map<String, Object> params) {
            long id = nextId++;
            CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
            answers.put(id, answer);
            ws.sendText(Json.write(Map.of("id", id, "method", method, "params", params)), true)
                    .join();
            return answer;
        }

        Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
            return send(method, params).get(10, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                Map<String, Object> msg = Json.readMap(partial.toString());
                partial.setLength(0);
                received.add(msg);
                if (msg.get("id") instanceof Number n) {
                    CompletableFuture<Map<String, Object>> f = answers.remove(n.longValue());
                    if (f != null) {
                        f.complete(msg);
                    }
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(code);
            return null;
        }

        void click(double x, double y) throws Exception {
            for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
                Map<String, Object> answer = call(
                        "Input.dispatchMouseEvent",
                        Map.of(
                                "type",
                                type,
                                "x",
                                x,
                                "y",
                                y,
                                "button",
                                type.equals("mouseMoved") ? "none" : "left",
                                "clickCount",
                                1));
                assertThat(answer).as("%s", answer).doesNotContainKey("error");
            }
        }
    }

    @Test
    void valetsRelaySolvesTheChallengeOverRawCdpAndTheJobResumesByItself() throws Exception {
        Map<String, Object> needsHuman = pausedJob("/robot?valet");
        String id = (String) needsHuman.get("job_id");
        String live = liveUrl(needsHuman);
        assertThat(URI.create(live).getRawPath() + "?" + URI.create(live).getRawQuery())
                .startsWith("/live/" + id + "?mode=control&exp=")
                .contains("&sig=")
                .doesNotContain(TestStack.SERVICE_KEY);
        assertThat(needsHuman).containsEntry("kasm_url", live).containsEntry("browser_session_available", true);
        // the same link in what VALET and the CLI read
        assertThat(api.get("/api/v1/gh/valet/status/" + id)
                        .json()
                        .path("interaction")
                        .path("live_url")
                        .asString())
                .isEqualTo(live);
        assertThat(api.get("/api/v1/gh/jobs/" + id)
                        .json()
                        .path("interaction_data")
                        .path("live_url")
                        .asString())
                .isEqualTo(live);

        // VALET's check first: without the key nothing; with it, the session
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> noKey = http.send(
                HttpRequest.newBuilder(URI.create(apiBase() + "/internal/browser-session"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.body()).contains("unauthorized");
        HttpResponse<String> session = http.send(
                HttpRequest.newBuilder(URI.create(apiBase() + "/internal/browser-session?job_id=" + id))
                        .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(session.statusCode()).isEqualTo(200);
        Map<String, Object> info = Json.readMap(session.body());
        assertThat(info)
                .containsEntry("available", true)
                .containsEntry("pausedForHuman", true)
                .containsEntry("jobId", id)
                .containsEntry("pageTitle", "Apply: Data Engineer");
        assertThat((String) info.get("pageUrl")).endsWith("/robot?valet");

        // the relay refuses a wrong key before any socket
        assertThat(connectStatus("/internal/cdp-proxy?key=wrong&job_id=" + id)).isEqualTo(401);

        Cdp cdp = Cdp.connect("?key=" + TestStack.SERVICE_KEY + "&job_id=" + id);
        assertThat(cdp.call("Page.enable", Map.of())).doesNotContainKey("error");
        // commands that reach beyond the page are refused with a CDP error, the socket stays usable
        for (String method : List.of(
                "Target.getTargets",
                "Browser.getVersion",
                "Runtime.evaluate",
                "Storage.getCookies",
                "Network.getAllCookies",
                "Emulation.setDeviceMetricsOverride")) {
            Map<String, Object> refused = cdp.call(method, Map.of("expression", "1"));
            assertThat(refused).as(method).containsKey("error");
            assertThat(String.valueOf(refused.get("error"))).contains("not allowed");
        }
        // screenshots every 500 ms while the human works, as VALET's viewer takes them
        List<String> shots = new CopyOnWriteArrayList<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleAtFixedRate(
                () -> cdp.send("Page.captureScreenshot", Map.of("format", "jpeg", "quality", 70))
                        .thenAccept(a -> {
                            if (a.get("result") instanceof Map<?, ?> r && r.get("data") instanceof String data) {
                                shots.add(data);
                            }
                        }),
                0,
                500,
                TimeUnit.MILLISECONDS);
        try {
            waitFor(() -> shots.size() >= 2, Duration.ofSeconds(10));
            byte[] jpeg = Base64.getDecoder().decode(shots.get(0));
            assertThat(jpeg[0] & 0xff).isEqualTo(0xff);
            assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);

            cdp.click(160, 330); // the challenge's box
            Map<String, Object> completed = receiver.await(id, "completed", Duration.ofSeconds(60));
            assertThat(completed).containsEntry("job_id", id);
            assertThat(robotClicks).containsEntry("valet", 1);
            // nobody pressed resume: the job resumed by itself once the challenge was gone
            Map<String, Object> resumed = jdbc.queryForMap(
                    "SELECT metadata::text AS m FROM gh_job_events WHERE job_id = ?"
                            + " AND event_type = 'hitl_resumed'",
                    UUID.fromString(id));
            assertThat((String) resumed.get("m")).contains("\"resolved_by\": \"live_view\"");

            // the job ended and its page closed: GhostHands ends the socket
            assertThat(cdp.closed.get(15, TimeUnit.SECONDS)).isNotNull();
        } finally {
            timer.shutdownNow();
            cdp.ws.abort();
        }
        waitFor(() -> events(id).contains("live_view_closed"), Duration.ofSeconds(10));
        assertThat(events(id)).contains("live_view_opened", "live_view_input", "live_view_closed");
        String inputMeta = jdbc.queryForObject(
                "SELECT metadata::text FROM gh_job_events WHERE job_id = ? AND" + " event_type = 'live_view_input'",
                String.class,
                UUID.fromString(id));
        assertThat(inputMeta).contains("\"mouse_events\": 3"); // moved, pressed, released: counts, never content
        // the control link died with the pause
        HttpResponse<String> dead =
                http.send(HttpRequest.newBuilder(URI.create(live)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(dead.statusCode()).isEqualTo(410);
        assertThat(dead.body()).contains("link_expired");
    }

    @Test
    void valetsRelayTypesAOneTimeCodeWithKeyEventsAndTheJobGoesOn() throws Exception {
        Map<String, Object> needsHuman = pausedJob("/otp?valet");
        String id = (String) needsHuman.get("job_id");
        Cdp cdp = Cdp.connect("?key=" + TestStack.SERVICE_KEY); // no job_id: the most recently paused job
        try {
            assertThat(cdp.call("Page.enable", Map.of())).doesNotContainKey("error");
            cdp.click(140, 220); // into the code box
            for (char c : (CODE + "\r").toCharArray()) {
                String key = c == '\r' ? "Enter" : String.valueOf(c);
                int code = c == '\r' ? 13 : c;
                assertThat(cdp.call(
                                "Input.dispatchKeyEvent",
                                Map.of(
                                        "type",
                                        "keyDown",
                                        "key",
                                        key,
                                        "text",
                                        String.valueOf(c),
                                        "windowsVirtualKeyCode",
                                        code)))
                        .doesNotContainKey("error");
                assertThat(cdp.call(
                                "Input.dispatchKeyEvent",
                                Map.of("type", "keyUp", "key", key, "windowsVirtualKeyCode", code)))
                        .doesNotContainKey("error");
            }
            receiver.await(id, "completed", Duration.ofSeconds(60));
        } finally {
            cdp.ws.abort();
        }
        assertThat(api.get("/api/v1/gh/jobs/" + id)
                        .json()
                        .path("result_data")
                        .path("final_url")
                        .asString())
                .endsWith("/welcome");
        waitFor(() -> events(id).contains("live_view_input"), Duration.ofSeconds(10));
        String counts = jdbc.queryForObject(
                "SELECT metadata::text FROM gh_job_events WHERE job_id = ? AND" + " event_type = 'live_view_input'",
                String.class,
                UUID.fromString(id));
        assertThat(counts).contains("\"key_events\": 14").doesNotContain(CODE);
        assertNotInArtifacts(id, CODE);
    }

    @Test
    void linksThatAreForeignForgedOrExpiredOpenNothing() throws Exception {
        Map<String, Object> first = pausedJob("/robot?links1");
        Map<String, Object> second = pausedJob("/robot?links2");
        String live = liveUrl(first);
        String otherId = (String) second.get("job_id");
        HttpClient http = HttpClient.newHttpClient();
        // the page opens with its own link, without any key
        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create(live))
                        .header("Accept", "text/html")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'none'");
        assertThat(page.body()).doesNotContain(TestStack.SERVICE_KEY);
        // another job's id with this link's signature
        String foreign = live.replace((String) first.get("job_id"), otherId);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(foreign)).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);
        // a forged signature, a watch link made from the control one, a later expiry
        String forged = live.substring(0, live.length() - 4) + "0000";
        assertThat(status(forged)).isEqualTo(403);
        assertThat(status(live.replace("mode=control", "mode=watch"))).isEqualTo(403);
        long exp = Long.parseLong(live.replaceAll(".*exp=(\\d+).*", "$1"));
        assertThat(status(live.replace("exp=" + exp, "exp=" + (exp + 3600)))).isEqualTo(403);
        // the socket is refused the same way, before any upgrade
        String wsPath =
                URI.create(foreign).getRawPath() + "/ws?" + URI.create(foreign).getRawQuery();
        assertThat(connectStatus(wsPath)).isEqualTo(403);
        // the CDP proxy refuses a job that is not paused
        ApiClient.Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"custom\",\"target_url\":\"" + url("/welcome") + "\",\"task_description\":\"look\"}");
        String done = created.json().path("id").asString();
        waitFor(
                () -> "completed"
                        .equals(api.get("/api/v1/gh/jobs/" + done)
                                .json()
                                .path("status")
                                .asString()),
                Duration.ofSeconds(60));
        assertThat(connectStatus("/internal/cdp-proxy?key=" + TestStack.SERVICE_KEY + "&job_id=" + done))
                .isEqualTo(409);
        assertThat(api.get("/api/v1/gh/jobs/" + done + "/live?mode=control").status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/gh/jobs/" + done + "/live?mode=watch").status())
                .isEqualTo(409);
        assertThat(api.get("/api/v1/gh/jobs/" + done + "/live?mode=spy").status())
                .isEqualTo(400);
        // a watch link of a paused job: it sees the page, but input is refused
        ApiClient.Answer watch = api.get("/api/v1/gh/jobs/" + otherId + "/live?mode=watch");
        assertThat(watch.status()).isEqualTo(200);
        assertThat(watch.json().path("live_url").asString()).contains("mode=watch");
        assertThat(status(watch.json().path("live_url").asString())).isEqualTo(200);
        // cancel both paused jobs through the API: their links die
        for (String id : List.of((String) first.get("job_id"), otherId)) {
            api.post("/api/v1/gh/valet/resume/" + id, "{\"action\":\"cancel\"}");
        }
        waitFor(() -> status(live) == 410, Duration.ofSeconds(10));
    }

    @Test
    void theWorkerRelayRefusesInputWhileTheJobIsNotWaitingForAHuman() throws Exception {
        ApiClient.Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"custom\",\"target_url\":\"" + url("/slow") + "\",\"task_description\":\"look\"}");
        String id = created.json().path("id").asString();
        waitFor(() -> slowRequests.get() > 0, Duration.ofSeconds(60)); // its page is loading: the job runs
        String relay = jdbc.queryForObject(
                "SELECT r.metadata->>'live_relay' FROM gh_automation_jobs j"
                        + " JOIN gh_worker_registry r ON r.worker_id = j.worker_id WHERE j.id = ?",
                String.class,
                UUID.fromString(id));
        assertThat(relay).startsWith("ws://127.0.0.1:");
        // the relay wants the service key before anything
        assertThat(relayStatus(relay + "/live/" + id + "?mode=control", null)).isNotEqualTo(101);
        assertThat(relayStatus(relay + "/live/" + id + "?mode=control", "wrong"))
                .isNotEqualTo(101);
        for (String mode : List.of("control", "watch")) {
            Cdp cdp = new Cdp();
            cdp.ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                    .buildAsync(URI.create(relay + "/live/" + id + "?mode=" + mode), cdp)
                    .get(10, TimeUnit.SECONDS);
            Map<String, Object> shot = cdp.call("Page.captureScreenshot", Map.of("format", "jpeg"));
            assertThat(shot).as(mode).containsKey("result"); // watching a running job works
            Map<String, Object> input = cdp.call(
                    "Input.dispatchMouseEvent",
                    Map.of("type", "mousePressed", "x", 10, "y", 10, "button", "left", "clickCount", 1));
            assertThat(String.valueOf(input.get("error")))
                    .as(mode)
                    .contains(mode.equals("watch") ? "only watches" : "not waiting for a human");
            Map<String, Object> typed = cdp.call("Input.insertText", Map.of("text", "x"));
            assertThat(typed).as(mode).containsKey("error");
            cdp.ws.abort();
        }
        api.post("/api/v1/gh/jobs/" + id + "/cancel", "{}");
    }

    static final AtomicInteger slowRequests = new AtomicInteger();

    static int relayStatus(String uri, String key) throws Exception {
        try {
            WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
            if (key != null) {
                b.header("X-GH-Service-Key", key);
            }
            b.buildAsync(URI.create(uri), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS)
                    .abort();
            return 101;
        } catch (ExecutionException e) {
            return e.getCause() instanceof WebSocketHandshakeException h
                    ? h.getResponse().statusCode()
                    : -1;
        }
    }

    /** A second, independent Chromium: the human's browser. */
    static Browser viewerBrowser(Playwright playwright) {
        BrowserType.LaunchOptions options = new BrowserType.LaunchOptions();
        Path debian = Path.of("/usr/bin/chromium");
        if (Files.isExecutable(debian)) {
            options.setExecutablePath(debian);
        }
        return playwright.chromium().launch(options);
    }

    /** Opens a live link in the viewer, at a size unlike the worker's, and waits for the first picture. */
    static Page openLive(Browser browser, String link, int w, int h) {
        Page viewer = browser.newContext(new Browser.NewContextOptions().setViewportSize(w, h))
                .newPage();
        viewer.navigate(link);
        viewer.waitForFunction("() => !!document.getElementById('screen').dataset.rect");
        return viewer;
    }

    /** Clicks in the viewer where the page's CSS point (x, y) is drawn. */
    static void clickPagePoint(Page viewer, double x, double y) {
        String[] r = ((String) viewer.evaluate("() => document.getElementById('screen').dataset.rect")).split(",");
        BoundingBox box = viewer.locator("#screen").boundingBox();
        double rx = Double.parseDouble(r[0]), ry = Double.parseDouble(r[1]), rw = Double.parseDouble(r[2]);
        double rh = Double.parseDouble(r[3]), fw = Double.parseDouble(r[4]), fh = Double.parseDouble(r[5]);
        viewer.mouse().click(box.x + rx + x / fw * rw, box.y + ry + y / fh * rh);
    }

    @Test
    void aHumanClicksTheChallengeAwayThroughTheLivePageAndTheJobCompletesByItself() throws Exception {
        Map<String, Object> needsHuman = pausedJob("/robot?page");
        String id = (String) needsHuman.get("job_id");
        try (Playwright playwright = Playwright.create()) {
            Browser browser = viewerBrowser(playwright);
            // an operator watches at the same time (read-only link), at another size
            String watchLink = api.get("/api/v1/gh/jobs/" + id + "/live?mode=watch")
                    .json()
                    .path("live_url")
                    .asString();
            Page watcher = openLive(browser, watchLink, 700, 900);
            Page viewer = openLive(browser, liveUrl(needsHuman), 900, 600);
            viewer.waitForFunction("() => !document.getElementById('done').disabled");
            assertThat(watcher.locator("#done").isVisible()).isFalse();
            // the watcher's click reaches nothing
            clickPagePoint(watcher, 160, 330);
            Thread.sleep(500);
            assertThat(robotClicks).doesNotContainKey("page");
            assertThat(api.get("/api/v1/gh/jobs/" + id).json().path("status").asString())
                    .isEqualTo("paused");

            clickPagePoint(viewer, 160, 330); // the challenge's box, as the human sees it
            Map<String, Object> completed = receiver.await(id, "completed", Duration.ofSeconds(60));
            assertThat(completed).containsEntry("job_id", id);
            assertThat(robotClicks).containsEntry("page", 1);
            viewer.waitForSelector("#ended:not([hidden])");
            assertThat(viewer.locator("#endedmsg").textContent()).containsIgnoringCase("continues");
            watcher.waitForSelector("#ended:not([hidden])");
        }
        String resumedBy = jdbc.queryForObject(
                "SELECT metadata->>'resolved_by' FROM gh_job_events WHERE job_id = ?"
                        + " AND event_type = 'hitl_resumed'",
                String.class,
                UUID.fromString(id));
        assertThat(resumedBy).isEqualTo("live_view");
        waitFor(() -> Collections.frequency(events(id), "live_view_closed") == 2, Duration.ofSeconds(10));
        // the watcher's page sent nothing; the viewer's click is counted (never what was typed)
        List<String> inputs = jdbc.queryForList(
                "SELECT metadata::text FROM gh_job_events WHERE job_id = ? AND" + " event_type = 'live_view_input'",
                String.class,
                UUID.fromString(id));
        assertThat(inputs).hasSize(1);
        assertThat(inputs.get(0))
                .contains("\"via\": \"live_page\"")
                .contains("\"refused\": 0")
                .doesNotContain("\"mouse_events\": 0");
    }

    @Test
    void aOneTimeCodeIsTypedThroughTheLivePageAndNeverKept() throws Exception {
        Map<String, Object> needsHuman = pausedJob("/otp");
        String id = (String) needsHuman.get("job_id");
        @SuppressWarnings("unchecked")
        Map<String, Object> interaction = (Map<String, Object>) needsHuman.get("interaction");
        assertThat(interaction).containsEntry("reason", "2fa");
        try (Playwright playwright = Playwright.create()) {
            Page viewer = openLive(viewerBrowser(playwright), liveUrl(needsHuman), 1000, 700);
            viewer.waitForFunction("() => !document.getElementById('done').disabled");
            clickPagePoint(viewer, 140, 220); // into the code box
            viewer.keyboard().type(CODE);
            viewer.keyboard().press("Enter");
            receiver.await(id, "completed", Duration.ofSeconds(60));
            viewer.waitForSelector("#ended:not([hidden])");
        }
        JsonNode job = api.get("/api/v1/gh/jobs/" + id).json();
        assertThat(job.path("result_data").path("final_url").asString()).endsWith("/welcome");
        // the code went to the page only: no row, event or callback holds it
        for (String table : List.of("gh_automation_jobs", "gh_job_events")) {
            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM " + table + " t WHERE t::text LIKE ?",
                            Integer.class,
                            "%" + CODE + "%"))
                    .as(table)
                    .isZero();
        }
        assertThat(receiver.hits(id).stream().map(CallbackReceiver.Hit::body)).noneMatch(b -> b.contains(CODE));
        assertNotInArtifacts(id, CODE);
    }

    /**
     * No artifact of the job holds {@code secret}: a human's keys may be a code or a password, so the
     * job's trace ends when it pauses for a human (event {@code trace_ended}), before any live input.
     */
    static void assertNotInArtifacts(String id, String secret) throws IOException {
        assertThat(events(id)).contains("trace_ended");
        List<Map<String, Object>> artifacts = jdbc.queryForList(
                "SELECT kind, name, content FROM gh_job_artifacts WHERE job_id = ?", UUID.fromString(id));
        assertThat(artifacts).extracting(a -> a.get("kind")).contains("trace");
        for (Map<String, Object> a : artifacts) {
            byte[] content = (byte[]) a.get("content");
            assertThat(new String(content, StandardCharsets.ISO_8859_1))
                    .as("%s %s", a.get("kind"), a.get("name"))
                    .doesNotContain(secret);
            if ("trace".equals(a.get("kind"))) {
                try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(content))) {
                    for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                        assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                                .as("trace entry %s", e.getName())
                                .doesNotContain(secret);
                    }
                }
            }
        }
    }

    @Test
    void aDrainingWorkerKeepsItsPausedPageAndItsLiveViewUntilThePauseEnds() throws Exception {
        WorkerRuntime drainer = WorkerRuntime.start(
                new WorkerSettings(
                                "live-drainer",
                                true,
                                1,
                                0,
                                BrowserSettings.resolve(null, true).withExtraArgs(List.of(TestStack.LOOPBACK_ONLY)),
                                () -> api.baseUrl(),
                                TestStack.SERVICE_KEY)
                        .withOutbound(stack.outboundPolicy()),
                stack.temporalClient(),
                stack.dataSource(),
                Duration.ofSeconds(1));
        try {
            ApiClient.Answer created = api.post(
                    "/api/v1/gh/jobs",
                    "{\"job_type\":\"custom\",\"target_url\":\""
                            + url("/robot?drain")
                            + "\",\"task_description\":\"look\",\"target_worker_id\":\"live-drainer\","
                            + "\"callback_url\":\"" + receiver.url("/cb") + "\"}");
            String id = created.json().path("id").asString();
            receiver.await(id, "needs_human");
            assertThat(api.get("/api/v1/gh/jobs/" + id).json().path("worker_id").asString())
                    .isEqualTo("live-drainer");
            CompletableFuture<WorkerRuntime.DrainOutcome> drained = drainer.drain();
            Thread.sleep(3000); // three times its drain timeout
            assertThat(drained)
                    .as("a page waiting for a human keeps the drain going")
                    .isNotDone();
            Cdp cdp = Cdp.connect("?key=" + TestStack.SERVICE_KEY + "&job_id=" + id);
            assertThat(cdp.call("Page.captureScreenshot", Map.of("format", "jpeg")))
                    .containsKey("result");
            cdp.click(160, 330);
            receiver.await(id, "completed", Duration.ofSeconds(60));
            assertThat(robotClicks).containsEntry("drain", 1);
            drained.get(30, TimeUnit.SECONDS); // and once the pause is over, the drain ends
            cdp.ws.abort();
        } finally {
            drainer.close();
        }
    }

    static int status(String url) {
        try {
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The HTTP status a WebSocket upgrade on the API gets (101 when it opens). */
    static int connectStatus(String pathAndQuery) throws Exception {
        try {
            WebSocket ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create(apiBase().replace("http", "ws") + pathAndQuery), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS);
            ws.abort();
            return 101;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    static void waitFor(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(100);
        }
    }
}
