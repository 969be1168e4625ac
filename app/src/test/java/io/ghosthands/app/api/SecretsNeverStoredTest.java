package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.browser.WorkerScratch;
import io.ghosthands.activities.store.ArtifactLinks;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiClient.Answer;
import io.ghosthands.app.support.CallbackReceiver;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.workflows.WorkflowIds;
import io.ghosthands.workflows.codec.EncryptionCodec;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.MarkerRecordedEventAttributes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The proof that a secret a human gives on resume is typed into the page and kept nowhere in clear:
 * end to end through the REST API with a real worker and Chromium on loopback pages, the trace in
 * its fullest mode ({@code GH_TRACE=full}: actions, network and DOM snapshots), one job resumed with
 * a one-time code and one with credentials. Afterwards each secret is looked for, as typed,
 * URL-encoded and JSON-escaped, in every artifact the job stored (the trace unzipped entry by entry
 * and inflated; the screenshots' bytes), every row of every {@code gh_*} table, every log line the
 * process wrote (all at INFO, GhostHands at DEBUG), every callback sent, every file in the
 * worker's private temp folder (which must be 0700), and the raw bytes of the job's Temporal
 * workflow history. The decrypted history does hold them (the resume signal and the resume step's
 * input carry the resolution by design): the test says so, so that the README cannot claim less.
 */
class SecretsNeverStoredTest {

    private static final String CODE = "731946-QXZ";
    private static final String PASSWORD = "Zebra!Quill#58/pw \"x\"";
    private static final String USER = "ada@example.com";

    private static TestStack stack;
    private static ApiClient api;
    private static JdbcTemplate jdbc;
    private static HttpServer site;
    private static CallbackReceiver receiver;
    private static final List<String> logLines = new CopyOnWriteArrayList<>();
    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static AppenderBase<ILoggingEvent> appender;

    @BeforeAll
    static void start() throws IOException {
        stack = TestStack.start(
                "secrets", GhostHands.Roles.DEV, Map.of("gh.callbacks.max-interval", "2s", "gh.browser.trace", "full"));
        captureLogs();
        api = stack.api();
        jdbc = new JdbcTemplate(stack.dataSource());
        receiver = new CallbackReceiver();
        site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        site.createContext("/2fa", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(form);
                boolean ok = form.contains("otp=" + URLEncoder.encode(CODE, StandardCharsets.UTF_8));
                redirect(ex, ok ? "/welcome" : "/2fa?wrong=1");
                return;
            }
            send(
                    ex,
                    "<!doctype html><html><head><title>Verify it's you</title></head><body>"
                            + "<h1>Two-step verification</h1><p>We sent a verification code to your phone.</p>"
                            + "<form method='post' action='/2fa'><label for='otp'>Enter the code</label>"
                            + "<input id='otp' name='otp' autocomplete='one-time-code'>"
                            + "<button type='submit'>Verify</button></form></body></html>");
        });
        site.createContext("/signin", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(form);
                boolean ok = form.contains("password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8));
                redirect(ex, ok ? "/welcome" : "/signin?failed=1");
                return;
            }
            send(
                    ex,
                    "<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1>"
                            + "<form method='post' action='/signin'><label for='e'>Email</label><input id='e' type='email' name='email'>"
                            + "<label for='p'>Password</label><input id='p' type='password' name='password'>"
                            + "<button type='submit'>Sign in</button></form><a href='#'>Forgot your password?</a></body></html>");
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
        ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(Logger.ROOT_LOGGER_NAME)
                .detachAppender(appender);
        site.stop(0);
        receiver.close();
        stack.close();
    }

    @Test
    void aOneTimeCodeFromAResumeIsTypedInAndIsNowhereInClear() throws Exception {
        String id = pauseAndResume(
                "/2fa",
                "2fa",
                "{\"resolution_type\":\"code_entry\",\"resolution_data\":{\"code\":\"" + CODE
                        + "\"},\"resolved_by\":\"ada\"}");
        assertThat(received)
                .as("the page got the code")
                .anyMatch(f -> f.contains(URLEncoder.encode(CODE, StandardCharsets.UTF_8)));
        assertSecretOnlyEncryptedInHistory(id, CODE);
    }

    @Test
    void aPasswordFromAResumeSignsInAndIsNowhereInClear() throws Exception {
        String id = pauseAndResume(
                "/signin",
                "login",
                "{\"resolution_type\":\"credentials\",\"resolution_data\":" + "{\"username\":\"" + USER
                        + "\",\"password\":\"" + PASSWORD.replace("\"", "\\\"") + "\"}}");
        assertThat(received)
                .as("the page got the password")
                .anyMatch(f -> f.contains(URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8)));
        assertSecretOnlyEncryptedInHistory(id, PASSWORD);
    }

    @Test
    void artifactLinksOpenOnlyWithTheKeyOrAValidUnexpiredSignature() throws Exception {
        String id = pauseAndResume(
                "/2fa", "2fa", "{\"resolution_type\":\"code_entry\",\"resolution_data\":{\"code\":\"" + CODE + "\"}}");
        JsonNode job = api.get("/api/v1/gh/jobs/" + id).json();
        String trace = job.path("result_data").path("trace_url").asString();
        URI signed = URI.create(trace);
        String plain = trace.substring(0, trace.indexOf('?'));
        String artifactId = plain.substring(plain.lastIndexOf('/') + 1);
        String base = plain.substring(0, plain.indexOf(ArtifactLinks.ROUTE));
        byte[] key = ArtifactLinks.keyFrom(TestStack.SERVICE_KEY);
        long past = Instant.now().minusSeconds(60).getEpochSecond();
        long future = Instant.now().plusSeconds(3600).getEpochSecond();

        // spellings of the same route the servlet container maps to it must not slip past the key check
        String query = "?expires=" + future + "&sig=" + "0".repeat(64);
        for (String path : List.of(
                "/api/v1/gh;x=1/artifacts/" + artifactId,
                "/api/v1/%67h/artifacts/" + artifactId,
                "/api/v1/gh/artifacts;x=1/" + artifactId,
                "/api/v1/gh/./artifacts/" + artifactId,
                "/api/v1/gh/artifacts/" + artifactId + ";x=1",
                "/api/v1;x/gh/jobs/" + id)) {
            for (String q : List.of("", query)) {
                HttpResponse<byte[]> answer = get(URI.create(base + path + q), false);
                assertThat(answer.statusCode()).as(path + q).isIn(400, 401, 403, 404);
            }
        }
        assertThat(get(signed, false).statusCode()).as("the signed link").isEqualTo(200);
        assertThat(get(URI.create(plain), true).statusCode()).as("the key").isEqualTo(200);
        assertDenied(get(URI.create(plain), false), 401, "unauthorized");
        assertDenied(get(URI.create(plain + "?expires=" + future + "&sig=" + "0".repeat(64)), false), 403, "forbidden");
        assertDenied(
                get(
                        URI.create(plain + "?expires=" + past + "&sig=" + ArtifactLinks.sign(key, artifactId, past)),
                        false),
                403,
                "forbidden");
        // another artifact's signature does not open this one
        String other = UUID.randomUUID().toString();
        assertDenied(
                get(URI.create(plain + "?expires=" + future + "&sig=" + ArtifactLinks.sign(key, other, future)), false),
                403,
                "forbidden");
    }

    // ---- the scans -------------------------------------------------------------------------------

    /** Creates a job on {@code path}, waits for its pause, resumes it with {@code resume}, waits for it to complete. */
    private static String pauseAndResume(String path, String interaction, String resume) throws Exception {
        Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"custom\",\"target_url\":\"" + url(path)
                        + "\",\"task_description\":\"look\",\"callback_url\":\"" + receiver.url("/cb") + "\"}");
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        String id = created.json().path("id").asString();
        receiver.await(id, "needs_human");
        assertThat(api.get("/api/v1/gh/jobs/" + id)
                        .json()
                        .path("interaction_type")
                        .asString())
                .isEqualTo(interaction);
        Answer resumed = api.post("/api/v1/gh/valet/resume/" + id, resume);
        assertThat(resumed.status()).as("%s", resumed.json()).isEqualTo(200);
        receiver.await(id, "completed");
        JsonNode job = api.get("/api/v1/gh/jobs/" + id).json();
        assertThat(job.path("status").asString()).isEqualTo("completed");
        assertThat(job.path("result_data").path("final_url").asString())
                .as("signed in")
                .isEqualTo(url("/welcome"));
        assertThat(job.path("result_data").path("trace_url").asString())
                .as("a trace is kept")
                .isNotBlank();
        return id;
    }

    private static void assertSecretOnlyEncryptedInHistory(String id, String secret) throws Exception {
        Set<String> forms = forms(secret);
        UUID jobId = UUID.fromString(id);

        // every artifact: the trace, unzipped entry by entry (gzip inflated too), and the screenshots
        List<Map<String, Object>> artifacts =
                jdbc.queryForList("SELECT kind, name, content FROM gh_job_artifacts WHERE job_id = ?", jobId);
        assertThat(artifacts).extracting(a -> a.get("kind")).contains("trace", "screenshot");
        boolean traceHasThePausedPage = false;
        for (Map<String, Object> a : artifacts) {
            byte[] content = (byte[]) a.get("content");
            String what = a.get("kind") + " " + a.get("name");
            assertNoneIn(what, content, forms);
            if ("trace".equals(a.get("kind"))) {
                Map<String, byte[]> entries = unzip(content);
                assertThat(entries)
                        .as("trace entries")
                        .containsKey("trace.trace")
                        .containsKey("trace.network");
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    assertNoneIn(what + " entry " + e.getKey(), e.getValue(), forms);
                }
                traceHasThePausedPage = new String(entries.get("trace.trace"), StandardCharsets.UTF_8).contains(url(""))
                        && entries.keySet().stream().anyMatch(n -> n.startsWith("resources/"));
            }
        }
        assertThat(traceHasThePausedPage)
                .as("the trace recorded the job up to the secret")
                .isTrue();
        assertThat(jdbc.queryForList("SELECT event_type FROM gh_job_events WHERE job_id = ?", String.class, jobId))
                .contains("trace_ended", "hitl_resolution_applied");

        // every row of every gh_* table, as text
        List<String> tables = jdbc.queryForList(
                "SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() AND table_name LIKE 'gh\\_%'",
                String.class);
        assertThat(tables).contains("gh_automation_jobs", "gh_job_events", "gh_job_artifacts", "gh_worker_registry");
        for (String table : tables) {
            for (String form : forms) {
                Integer rows = jdbc.queryForObject(
                        "SELECT count(*) FROM " + table + " t WHERE strpos(t::text, ?) > 0", Integer.class, form);
                assertThat(rows)
                        .as("rows of %s holding the secret as %s", table, form)
                        .isZero();
            }
        }
        Integer bytes = jdbc.queryForObject(
                "SELECT count(*) FROM gh_job_artifacts WHERE position(convert_to(?, 'UTF8')" + " IN content) > 0",
                Integer.class,
                secret);
        assertThat(bytes).as("artifacts whose bytes hold the secret").isZero();

        // every log line, every callback sent
        assertThat(logLines).as("log lines captured").isNotEmpty();
        for (String line : logLines) {
            assertNoneIn("log line " + line, line.getBytes(StandardCharsets.UTF_8), forms);
        }
        for (CallbackReceiver.Hit hit : receiver.hits(id)) {
            assertNoneIn("callback " + hit.status(), hit.body().getBytes(StandardCharsets.UTF_8), forms);
        }

        // the workers' private temp folders (their browsers' temp files: running traces, Chromium's
        // profiles): this process's, one per worker it runs (other test classes' stacks may run here too)
        Path workers = WorkerScratch.defaultRoot();
        List<Path> mine;
        try (var folders = Files.list(workers)) {
            mine = folders.filter(f -> f.getFileName()
                            .toString()
                            .startsWith("w-" + ProcessHandle.current().pid() + "-"))
                    .toList();
        }
        assertThat(mine).as("the workers' temp folders").isNotEmpty();
        // the job's own trace files are gone once its trace is stored and its page closed (a lane task
        // just after the step: allow it a moment)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<Path> left;
        do {
            left = new ArrayList<>();
            for (Path folder : mine) {
                try (var walk = Files.walk(folder)) {
                    walk.filter(f -> f.getFileName().toString().startsWith("gh-job-" + id))
                            .forEach(left::add);
                } catch (UncheckedIOException | IOException gone) {
                    left.add(folder); // changing under us: look again
                }
            }
        } while (!left.isEmpty() && System.nanoTime() < until && sleep(100));
        assertThat(left).as("the job's trace files on disk").isEmpty();
        for (Path folder : mine) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                    .as("%s", folder)
                    .isEqualTo("rwx------");
            List<Path> files;
            try (var walk = Files.walk(folder)) {
                files = walk.filter(Files::isRegularFile).toList();
            } catch (UncheckedIOException gone) {
                continue; // a file went while walking; the folder's next scan is another test's
            }
            for (Path f : files) {
                byte[] content;
                try {
                    content = Files.readAllBytes(f);
                } catch (IOException gone) {
                    continue; // Chromium removed it meanwhile
                }
                assertNoneIn("temp file " + f, content, forms);
            }
        }

        // the workflow history: no plaintext in its stored bytes; decrypted, the resolution is there
        History history =
                stack.temporalClient().fetchHistory(WorkflowIds.forJob(id)).getHistory();
        assertNoneIn("workflow history", history.toByteArray(), forms);
        Map<Payload, String> found = new LinkedHashMap<>();
        collectPayloads(history, "", found);
        assertThat(found).isNotEmpty();
        List<Payload> payloads = new ArrayList<>();
        found.forEach((p, where) -> {
            String encoding = p.getMetadataMap()
                    .getOrDefault("encoding", ByteString.EMPTY)
                    .toStringUtf8();
            if (where.contains("search_attributes")
                    || where.contains("marker_recorded_event_attributes[") && !where.contains("/details[data]")) {
                // in clear by the SDK's design: indexed attributes, and the SDK's own marker fields (a
                // version's change id, a local activity's id, type and time; its result, "data", is
                // encrypted); covered by the raw scan above
                return;
            }
            assertThat(encoding).as("payload at %s is encrypted", where).isEqualTo("binary/encrypted");
            payloads.add(p);
        });
        long decryptedHolding = EncryptionCodec.forKey(TestStack.SERVICE_KEY).decode(payloads).stream()
                .filter(p -> containsAny(p.getData().toByteArray(), forms))
                .count();
        assertThat(decryptedHolding)
                .as("decrypted payloads carrying the resolution (signal, resume step)")
                .isPositive();
    }

    /** Every payload in {@code message}, with the path of fields it was found under. */
    private static void collectPayloads(Message message, String path, Map<Payload, String> out) {
        if (message instanceof Payload p) {
            out.put(p, path);
            return;
        }
        if (message instanceof MarkerRecordedEventAttributes marker) {
            path = path + "[" + marker.getMarkerName() + "]";
        }
        if (message.getDescriptorForType().getOptions().getMapEntry()) {
            path = path + "[" + message.getField(message.getDescriptorForType().findFieldByName("key")) + "]";
        }
        for (Map.Entry<Descriptors.FieldDescriptor, Object> f :
                message.getAllFields().entrySet()) {
            String at = path + "/" + f.getKey().getName();
            Object v = f.getValue();
            if (v instanceof Message m) {
                collectPayloads(m, at, out);
            } else if (v instanceof Collection<?> c) {
                for (Object o : c) {
                    if (o instanceof Message m) {
                        collectPayloads(m, at, out);
                    }
                }
            }
        }
    }

    /** The spellings a secret takes in files and logs: as typed, URL-encoded, JSON-escaped. */
    private static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\""));
        forms.add(secret.replace("\\", "\\\\").replace("\"", "\\\"").replace("/", "\\/"));
        forms.add(secret.replace("\"", "&quot;"));
        return forms;
    }

    private static void assertNoneIn(String what, byte[] content, Set<String> forms) throws IOException {
        assertThat(containsAny(content, forms)).as("%s holds the secret", what).isFalse();
        if (content.length > 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(content))) {
                assertThat(containsAny(in.readAllBytes(), forms))
                        .as("%s (inflated) holds the secret", what)
                        .isFalse();
            }
        }
    }

    private static boolean containsAny(byte[] content, Set<String> forms) {
        String latin = new String(content, StandardCharsets.ISO_8859_1);
        for (String form : forms) {
            if (latin.contains(new String(form.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Every log event of this process from here on, formatted with its arguments and stack trace. */
    private static void captureLogs() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        // more than a deployment logs: everything at INFO, GhostHands at DEBUG
        logging.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        logging.getLogger("io.ghosthands").setLevel(Level.DEBUG);
        appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                logLines.add(e.getLoggerName() + " " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                                ? ""
                                : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
            }
        };
        appender.setContext(logging);
        appender.start();
        logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }

    private static HttpResponse<byte[]> get(URI uri, boolean withKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        if (withKey) {
            request.header("X-GH-Service-Key", TestStack.SERVICE_KEY);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertDenied(HttpResponse<byte[]> answer, int status, String error) {
        assertThat(answer.statusCode()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("\"error\":\"" + error + "\"");
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + site.getAddress().getPort() + path;
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(303, -1);
        ex.close();
    }

    private static void send(HttpExchange ex, String html) throws IOException {
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
