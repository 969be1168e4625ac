package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.callback.CallbackActivitiesImpl;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.CallbackReceiver;
import io.ghosthands.app.support.TestStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Human in the loop end to end: real Chromium on pages this test serves, the real API and worker,
 * and a callback receiver that checks every callback's signature.
 */
class HumanInTheLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String CODE = "482913";
    private static final String PASSWORD = "correct-horse-battery-staple";

    private static TestStack stack;
    private static ApiClient api;
    private static JdbcTemplate jdbc;
    private static HttpServer site;
    private static CallbackReceiver receiver;
    private static final Map<String, Boolean> solved = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws IOException {
        stack = TestStack.startOnRealIfInstalled(
                "hitl",
                GhostHands.Roles.DEV,
                Map.of(
                        "gh.callbacks.max-interval",
                        "2s",
                        // the receiver is VALET here: its host is listed, so it gets the service key
                        "gh.callbacks.key-hosts",
                        "127.0.0.1"));
        api = stack.api();
        jdbc = new JdbcTemplate(stack.dataSource());
        receiver = new CallbackReceiver(id -> "; events " + events(id));
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        // an application form behind a reCAPTCHA-style widget; the widget goes away once "solved"
        // (the page asks its server, as a real widget's callback would tell it)
        site.createContext("/captcha/", ex -> {
            String key = ex.getRequestURI().getPath().substring("/captcha/".length());
            if (key.endsWith("/state")) {
                send(
                        ex,
                        200,
                        "text/plain",
                        Boolean.TRUE.equals(solved.get(key.substring(0, key.length() - 6))) ? "solved" : "no");
                return;
            }
            send(
                    ex,
                    200,
                    "text/html",
                    "<!doctype html><html><head><title>Apply: Platform Engineer</title></head><body>"
                            + "<h1>Platform Engineer</h1><form id='f'><label for='n'>Name</label><input id='n' name='n'></form>"
                            + "<div id='gate'><div class='g-recaptcha' data-sitekey='k' style='width:304px;height:78px;border:1px solid #ccc'>"
                            + "<iframe title='reCAPTCHA' src='/recaptcha/api2/anchor?k=k' width='300' height='74'></iframe></div>"
                            + "<p>Please verify you are human: I'm not a robot</p></div>"
                            + "<script>setInterval(async () => { const r = await fetch('/captcha/" + key + "/state');"
                            + " if ((await r.text()) === 'solved') { const g = document.getElementById('gate'); if (g) g.remove(); } }, 150);"
                            + "</script></body></html>");
        });
        site.createContext("/recaptcha/", ex -> send(ex, 200, "text/html", "<html><body>widget</body></html>"));
        // a two-factor page that accepts exactly CODE
        site.createContext("/2fa", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = form.contains("otp=" + CODE);
                ex.getResponseHeaders().set("Location", ok ? "/welcome" : "/2fa?wrong=1");
                ex.sendResponseHeaders(303, -1);
                ex.close();
                return;
            }
            send(
                    ex,
                    200,
                    "text/html",
                    "<!doctype html><html><head><title>Verify it's you</title></head><body>"
                            + "<h1>Two-step verification</h1><p>We sent a 6-digit verification code to your phone.</p>"
                            + "<form method='post' action='/2fa'><label for='otp'>Enter the code</label>"
                            + "<input id='otp' name='otp' autocomplete='one-time-code' inputmode='numeric' maxlength='6'>"
                            + "<button type='submit'>Verify</button></form></body></html>");
        });
        site.createContext(
                "/welcome",
                ex -> send(
                        ex,
                        200,
                        "text/html",
                        "<!doctype html><html><head><title>Welcome back</title></head><body><h1>Your applications</h1></body></html>"));
        // a sign-in wall that accepts exactly PASSWORD
        site.createContext("/signin", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = form.contains("password=" + PASSWORD) && form.contains("email=ada%40example.com");
                ex.getResponseHeaders().set("Location", ok ? "/welcome" : "/signin?failed=1");
                ex.sendResponseHeaders(303, -1);
                ex.close();
                return;
            }
            send(
                    ex,
                    200,
                    "text/html",
                    "<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1>"
                            + "<form method='post' action='/signin'><label for='e'>Email</label><input id='e' type='email' name='email'>"
                            + "<label for='p'>Password</label><input id='p' type='password' name='password'>"
                            + "<button type='submit'>Sign in</button></form><a href='#'>Forgot your password?</a></body></html>");
        });
        // an application form with a required question no profile answers
        site.createContext("/screening", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                screeningSubmissions.add(URLDecoder.decode(
                        new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
                        StandardCharsets.UTF_8));
                send(
                        ex,
                        200,
                        "text/html",
                        "<!doctype html><html><head><title>Submitted</title></head><body>"
                                + "<h1>Thank you for applying!</h1><p>Your application has been received.</p></body></html>");
                return;
            }
            send(
                    ex,
                    200,
                    "text/html",
                    "<!doctype html><html><head><title>Apply: Analyst</title></head><body><h1>Analyst</h1>"
                            + "<form method='post' action='/screening'><label for='fn'>First name</label><input id='fn' name='first_name' required>"
                            + "<label for='em'>Email</label><input id='em' type='email' name='email' required>"
                            + "<label for='q1'>Which of our products have you used? *</label><textarea id='q1' name='q1' required></textarea>"
                            + "<button type='submit'>Submit application</button></form></body></html>");
        });
        site.start();
    }

    private static final List<String> screeningSubmissions = new CopyOnWriteArrayList<>();

    @Test
    void aScreeningQuestionPausesAndTheHumansAnswerFromTheResumeIsFilledIn() throws Exception {
        Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"apply\",\"target_url\":\"" + url("/screening")
                        + "\",\"callback_url\":\"" + receiver.url("/cb")
                        + "\",\"input_data\":{\"user_data\":{\"first_name\":\"Ada\","
                        + "\"last_name\":\"Lovelace\",\"email\":\"ada@example.com\"}}}");
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        String id = created.json().path("id").asString();
        receiver.await(id, "needs_human");
        JsonNode paused = api.get("/api/v1/gh/valet/status/" + id).json();
        assertThat(paused.path("interaction").toString()).contains("screening_question");
        assertThat(screeningSubmissions).isEmpty();

        Answer resumed = api.post(
                "/api/v1/gh/valet/resume/" + id,
                "{\"resolution_type\":\"manual\",\"resolution_data\":"
                        + "{\"answers\":{\"Which of our products have you used?\":\"The analytical engine\"}},\"resolved_by\":\"ada\"}");
        assertThat(resumed.status()).as("%s", resumed.json()).isEqualTo(200);

        receiver.await(id, "completed");
        assertThat(screeningSubmissions)
                .singleElement()
                .satisfies(body -> assertThat(body)
                        .contains("q1=The analytical engine")
                        .contains("first_name=Ada")
                        .contains("email=ada@example.com"));
        assertThat(events(id)).contains("hitl_answers_given");
    }

    @AfterAll
    static void stop() {
        site.stop(0);
        receiver.close();
        stack.close();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + site.getAddress().getPort() + path;
    }

    @Test
    void captchaPausesWithAWorkingScreenshotAndCompletesAfterTheHumanSolvedIt() throws Exception {
        String key = "c1";
        String id = createJob(url("/captcha/" + key), receiver.url("/cb?token=abc"), "");

        Map<String, Object> needsHuman = receiver.await(id, "needs_human");
        @SuppressWarnings("unchecked")
        Map<String, Object> interaction = (Map<String, Object>) needsHuman.get("interaction");
        assertThat(interaction)
                .containsEntry("reason", "captcha")
                .containsEntry("timeout_seconds", 300)
                .containsKeys("description", "paused_at", "expires_at", "current_url");
        assertThat(needsHuman).containsKey("progress").containsEntry("job_id", id);
        // the screenshot opens in a browser without the service key
        HttpResponse<byte[]> shot = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create((String) interaction.get("screenshot_url")))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(shot.statusCode()).isEqualTo(200);
        assertThat(shot.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(shot.body().length).isGreaterThan(1000);
        // the status VALET polls says paused, with the interaction
        JsonNode status = api.get("/api/v1/gh/valet/status/" + id).json();
        assertThat(status.path("status").asString()).isEqualTo("paused");
        assertThat(status.path("status_message").asString()).startsWith("Waiting for human:");
        assertThat(jdbc.queryForObject(
                        "SELECT interaction_type FROM gh_automation_jobs WHERE id = ?",
                        String.class,
                        UUID.fromString(id)))
                .isEqualTo("captcha");

        solved.put(key, true);
        Answer resumed = api.post("/api/v1/gh/valet/resume/" + id, "{\"action\":\"resume\",\"resolution\":\"solved\"}");
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().path("status").asString()).isEqualTo("running");

        Map<String, Object> completed = receiver.await(id, "completed");
        assertThat(receiver.statuses(id)).containsExactly("running", "needs_human", "resumed", "completed");
        // the status VALET polls says what the callback said, and no error
        JsonNode done = api.get("/api/v1/gh/valet/status/" + id).json();
        assertThat(done.path("cost").path("action_count").asInt())
                .isEqualTo(((Map<?, ?>) completed.get("cost")).get("action_count"));
        assertThat(done.get("error").isNull()).isTrue();
        JsonNode job = api.get("/api/v1/gh/jobs/" + id).json();
        assertThat(job.path("status").asString()).isEqualTo("completed");
        assertThat(events(id)).contains("hitl_paused", "hitl_resumed", "job_completed", "callback_delivered");
        // every callback went to the URL as given, signed over timestamp.body with the service key
        for (CallbackReceiver.Hit hit : receiver.hits(id)) {
            assertThat(hit.query()).isEqualTo("token=abc");
            assertThat(hit.header("X-GH-Service-Key")).isEqualTo(TestStack.SERVICE_KEY);
            assertThat(hit.header("User-Agent")).isEqualTo("GhostHands-Callback/1.0");
            String expected = "sha256="
                    + CallbackActivitiesImpl.signature(
                            TestStack.SERVICE_KEY.getBytes(StandardCharsets.UTF_8),
                            hit.header("X-GH-Timestamp"),
                            hit.body());
            assertThat(hit.header("X-GH-Signature")).isEqualTo(expected);
        }
    }

    @Test
    void twoFactorCodeFromTheResumeIsTypedInAndNeverStoredInClear() throws Exception {
        String id = createJob(url("/2fa"), receiver.url("/cb"), "");
        receiver.await(id, "needs_human");
        assertThat(api.get("/api/v1/gh/jobs/" + id)
                        .json()
                        .path("interaction_type")
                        .asString())
                .isEqualTo("2fa");

        Answer resumed = api.post(
                "/api/v1/gh/valet/resume/" + id,
                "{\"resolution_type\":\"code_entry\",\"resolution_data\":{\"code\":\"" + CODE
                        + "\"},\"resolved_by\":\"ada\"}");
        assertThat(resumed.status()).isEqualTo(200);

        receiver.await(id, "completed");
        JsonNode job = api.get("/api/v1/gh/jobs/" + id).json();
        assertThat(job.path("result_data").path("final_url").asString()).isEqualTo(url("/welcome"));
        assertThat(job.path("result_data").path("page_title").asString()).isEqualTo("Welcome back");
        assertNowhereInTheDatabase(CODE);
    }

    @Test
    void credentialsFromTheResumeSignIn() throws Exception {
        String id = createJob(url("/signin"), receiver.url("/cb"), "");
        receiver.await(id, "needs_human");
        assertThat(api.get("/api/v1/gh/jobs/" + id)
                        .json()
                        .path("interaction_type")
                        .asString())
                .isEqualTo("login");

        api.post(
                "/api/v1/gh/valet/resume/" + id,
                "{\"resolution_type\":\"credentials\",\"resolution_data\":"
                        + "{\"username\":\"ada@example.com\",\"password\":\"" + PASSWORD + "\"}}");

        receiver.await(id, "completed");
        assertThat(api.get("/api/v1/gh/jobs/" + id)
                        .json()
                        .path("result_data")
                        .path("final_url")
                        .asString())
                .isEqualTo(url("/welcome"));
        assertNowhereInTheDatabase(PASSWORD);
    }

    @Test
    void cancelWhilePausedEndsTheJobAsHumanCancelled() throws Exception {
        String id = createJob(url("/2fa"), receiver.url("/cb"), "");
        receiver.await(id, "needs_human");

        Answer cancelled = api.post("/api/v1/gh/valet/resume/" + id, "{\"action\":\"cancel\"}");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("status").asString()).isEqualTo("cancelled");

        Map<String, Object> callback = receiver.await(id, "cancelled");
        assertThat(callback).containsEntry("error_code", "human_cancelled");
        JsonNode job = api.get("/api/v1/gh/jobs/" + id).json();
        assertThat(job.path("status").asString()).isEqualTo("cancelled");
        assertThat(job.path("error_code").asString()).isEqualTo("human_cancelled");
        // and a second resume is refused
        Answer again = api.post("/api/v1/gh/valet/resume/" + id, "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("error").asString()).isEqualTo("not_paused");
    }

    @Test
    void aPauseNobodyAnswersFailsWithHumanTimeout() throws Exception {
        String id = createJob(url("/2fa"), receiver.url("/cb"), ",\"input_data\":{\"hitl_timeout_seconds\":10}");
        Map<String, Object> needsHuman = receiver.await(id, "needs_human");
        assertThat(((Map<?, ?>) needsHuman.get("interaction")).get("timeout_seconds"))
                .isEqualTo(10);

        Map<String, Object> failed = receiver.await(id, "failed");
        assertThat(failed).containsEntry("error_code", "human_timeout");
        JsonNode status = api.get("/api/v1/gh/valet/status/" + id).json();
        assertThat(status.path("cost").path("action_count").asInt())
                .isEqualTo(((Map<?, ?>) failed.get("cost")).get("action_count"));
        assertThat(status.path("error").path("code").asString()).isEqualTo("human_timeout");
        assertThat(status.path("error").path("message").asString()).isNotBlank();
        assertThat(api.get("/api/v1/gh/jobs/" + id).json().path("error_code").asString())
                .isEqualTo("human_timeout");
    }

    @Test
    void withoutACallbackUrlABlockedJobFailsAtOnceWithTheBlockersCode() {
        String id = createJob(url("/2fa"), null, ",\"max_retries\":0");
        JsonNode job = api.awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(job.path("status").asString()).isEqualTo("failed");
        assertThat(job.path("error_code").asString()).isEqualTo("2fa_required");
        assertThat(job.path("paused_at").isNull()).isTrue();
    }

    @Test
    void aReceiverThatFailsForTheFirstMinuteStillGetsEveryCallback() throws Exception {
        String path = "/down-first-minute";
        receiver.failUntil(path, System.nanoTime() + Duration.ofSeconds(60).toNanos());
        String id = createJob(url("/welcome"), receiver.url(path), "");

        receiver.await(id, "completed", Duration.ofSeconds(120));

        assertThat(receiver.statuses(id)).containsExactly("running", "completed");
        // the last attempt's event is written just after the receiver answered
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (jdbc.queryForObject(
                                "SELECT count(*) FROM gh_job_events WHERE job_id = ?::uuid"
                                        + " AND event_type = 'callback_delivered'",
                                Integer.class,
                                id)
                        < 2
                && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        List<String> attempts = jdbc.queryForList(
                "SELECT event_type FROM gh_job_events WHERE job_id = ? AND event_type LIKE 'callback_%' ORDER BY created_at",
                String.class, UUID.fromString(id));
        assertThat(attempts).contains("callback_failed").endsWith("callback_delivered");
        assertThat(attempts.stream().filter("callback_delivered"::equals)).hasSize(2);
        assertThat(receiver.refused()).isGreaterThan(5);
    }

    @Test
    void resumeOnARunningOrUnknownJobIsRefused() {
        String id = createJob(url("/welcome"), null, "");
        api.awaitJob(id, ApiClient::terminal, WAIT);
        Answer notPaused = api.post("/api/v1/gh/valet/resume/" + id, "{}");
        assertThat(notPaused.status()).isEqualTo(409);
        assertThat(notPaused.json().path("message").asString()).isEqualTo("Job is completed, not paused");
        assertThat(api.post("/api/v1/gh/valet/resume/" + UUID.randomUUID(), "{}")
                        .status())
                .isEqualTo(404);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String createJob(String target, String callbackUrl, String extra) {
        String body = "{\"job_type\":\"custom\",\"target_url\":\"" + target + "\",\"task_description\":\"look\""
                + (callbackUrl == null ? "" : ",\"callback_url\":\"" + callbackUrl + "\"") + extra + "}";
        Answer answer = api.post("/api/v1/gh/jobs", body);
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(201);
        return answer.json().path("id").asString();
    }

    private static List<String> events(String id) {
        return jdbc.queryForList(
                "SELECT event_type FROM gh_job_events WHERE job_id = ?", String.class, UUID.fromString(id));
    }

    /** The secret is in no column of any row of any GhostHands table. */
    private static void assertNowhereInTheDatabase(String secret) {
        for (String table : List.of("gh_automation_jobs", "gh_job_events", "gh_worker_registry")) {
            Integer hits = jdbc.queryForObject(
                    "SELECT count(*) FROM " + table + " t WHERE t::text LIKE ?", Integer.class, "%" + secret + "%");
            assertThat(hits).as("rows of %s holding the secret", table).isZero();
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
