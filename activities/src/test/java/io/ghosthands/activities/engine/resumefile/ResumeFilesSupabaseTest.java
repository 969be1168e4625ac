package io.ghosthands.activities.engine.resumefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Résumés named by {@code storage_path} or {@code s3_key} come from Supabase Storage's REST API (a
 * loopback server speaking its download route, token check and JSON errors): found ones arrive
 * byte for byte from the right URL with the bearer token; Supabase's errors, in both their HTTP 4xx
 * and "HTTP 400 with the status in the body" forms, become {@code resume_unavailable} naming the
 * bucket and the reason; escapes never reach the server; the key never shows anywhere.
 */
class ResumeFilesSupabaseTest {

    private static final String WRONG_KEY = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.d3Jvbmctc2lnbmF0dXJl";
    private static SupabaseStorageTestServer supabase;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        supabase = SupabaseStorageTestServer.start("resumes", "private");
        supabase.put("resumes", "resumes/u1/Jane Doe CV.pdf", ResumeSamples.PDF, "application/pdf");
        supabase.put(
                "resumes",
                "resumes/u1/cv.docx",
                ResumeSamples.DOCX,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        supabase.put("resumes", "resumes/u1/login.pdf", ResumeSamples.HTML, "text/html");
        supabase.put("resumes", "resumes/u1/photo.pdf", ResumeSamples.PNG, "image/png");
        supabase.put("resumes", "resumes/u1/big.pdf", ResumeSamples.ELEVEN_MB_PDF, "application/pdf");
        supabase.putChunked("resumes", "resumes/u1/big-streamed.pdf", ResumeSamples.ELEVEN_MB_PDF, "application/pdf");
        supabase.put("private", "secret.pdf", ResumeSamples.PDF, "application/pdf");
    }

    @AfterAll
    static void stop() {
        supabase.close();
    }

    private int requestsBefore;

    @BeforeEach
    void mark() {
        requestsBefore = supabase.requests().size();
    }

    private List<SupabaseStorageTestServer.Request> newRequests() {
        List<SupabaseStorageTestServer.Request> all = supabase.requests();
        return all.subList(requestsBefore, all.size());
    }

    private static ResumeFiles files(SupabaseResumeStore.Config config) {
        return new ResumeStorage(S3ResumeStore.Config.NONE, config, "")
                .open(Duration.ofSeconds(10), ResumeFiles.MAX_BYTES);
    }

    private static Map<String, Object> ref(String key, String value) {
        return Map.of("resume_ref", Map.of(key, value));
    }

    private static ResumeUnavailableException failure(ResumeFiles files, Map<String, Object> input, String source) {
        Throwable thrown = catchThrowable(() -> files.resolve(input));
        assertThat(thrown).isInstanceOf(ResumeUnavailableException.class);
        ResumeUnavailableException e = (ResumeUnavailableException) thrown;
        assertThat(e.errorCode()).isEqualTo("resume_unavailable");
        assertThat(e.source()).isEqualTo(source);
        assertThat(ResumeFilesS3Test.everything(e))
                .doesNotContain(SupabaseStorageTestServer.SERVICE_ROLE_KEY)
                .doesNotContain(WRONG_KEY);
        return e;
    }

    @Test
    void aPdfAndADocxArriveFromTheDownloadRouteWithTheBearerToken() throws Exception {
        try (ResumeFiles files = files(supabase.config("resumes"))) {
            try (ResumeFile pdf = files.resolve(ref("storage_path", "resumes/u1/Jane Doe CV.pdf"))
                    .orElseThrow()) {
                assertThat(pdf.format()).isEqualTo(ResumeFormat.PDF);
                assertThat(pdf.path().getFileName().toString()).isEqualTo("Jane Doe CV.pdf");
                assertThat(Files.readAllBytes(pdf.path())).isEqualTo(ResumeSamples.PDF);
            }
            try (ResumeFile docx =
                    files.resolve(ref("s3_key", "resumes/u1/cv.docx")).orElseThrow()) {
                assertThat(docx.format()).isEqualTo(ResumeFormat.DOCX);
                assertThat(docx.source()).isEqualTo("s3_key");
                assertThat(Files.readAllBytes(docx.path())).isEqualTo(ResumeSamples.DOCX);
            }
        }
        assertThat(newRequests())
                .extracting(SupabaseStorageTestServer.Request::rawPath)
                .containsExactly(
                        "/storage/v1/object/resumes/resumes/u1/Jane%20Doe%20CV.pdf",
                        "/storage/v1/object/resumes/resumes/u1/cv.docx");
        assertThat(newRequests()).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.authorization()).isEqualTo("Bearer " + SupabaseStorageTestServer.SERVICE_ROLE_KEY);
            assertThat(r.apikey()).isEqualTo(SupabaseStorageTestServer.SERVICE_ROLE_KEY);
        });
    }

    @Test
    void theBucketIsResumesUnlessConfiguredAndTheProjectUrlMayEndInASlash() throws Exception {
        SupabaseResumeStore.Config defaults =
                new SupabaseResumeStore.Config(supabase.url() + "/", SupabaseStorageTestServer.SERVICE_ROLE_KEY, "");
        try (ResumeFiles files = files(defaults);
                ResumeFile pdf = files.resolve(ref("storage_path", "resumes/u1/Jane Doe CV.pdf"))
                        .orElseThrow()) {
            assertThat(Files.readAllBytes(pdf.path())).isEqualTo(ResumeSamples.PDF);
            assertThat(files.describeStorage()).isEqualTo("Supabase Storage bucket \"resumes\" at " + supabase.url());
        }
    }

    @Test
    void missingObjectsAndBucketsAreNotFoundInBothOfSupabasesForms() {
        try (ResumeFiles files = files(supabase.config("resumes"))) {
            assertThat(failure(files, ref("storage_path", "resumes/u1/nope.pdf"), "storage_path")
                            .getMessage())
                    .contains("storage_path resumes/u1/nope.pdf in Supabase Storage bucket \"resumes\" at "
                            + supabase.url())
                    .contains("could not be fetched: not found (HTTP 404 not_found: Object not found)");
        }
        try (ResumeFiles files = files(supabase.config("archive"))) {
            // older Supabase releases: HTTP 400, the real status in the body
            assertThat(failure(files, ref("s3_key", "resumes/u1/cv.docx"), "s3_key")
                            .getMessage())
                    .contains("could not be fetched: not found (HTTP 400, statusCode 404 Bucket not found");
        }
    }

    @Test
    void aWrongOrMalformedTokenIsAccessDeniedWithoutShowingAnyKey() {
        try (ResumeFiles files = files(new SupabaseResumeStore.Config(supabase.url(), WRONG_KEY, "resumes"))) {
            assertThat(failure(files, ref("storage_path", "resumes/u1/cv.docx"), "storage_path")
                            .getMessage())
                    .contains("could not be fetched: access denied (HTTP 403 Unauthorized: invalid signature)");
            assertThat(files.describeStorage()).doesNotContain(WRONG_KEY);
        }
        try (ResumeFiles files = files(new SupabaseResumeStore.Config(supabase.url(), "not-a-jwt", "resumes"))) {
            assertThat(failure(files, ref("storage_path", "resumes/u1/cv.docx"), "storage_path")
                            .getMessage())
                    .contains(
                            "could not be fetched: access denied (HTTP 400, statusCode 403 Unauthorized: jwt malformed)");
        }
        SupabaseResumeStore.Config right = supabase.config("resumes");
        assertThat(right.toString()).doesNotContain(SupabaseStorageTestServer.SERVICE_ROLE_KEY);
        assertThat(new ResumeStorage(null, right, "").toString())
                .doesNotContain(SupabaseStorageTestServer.SERVICE_ROLE_KEY);
    }

    @Test
    void overTenMegabytesIsRefusedWhetherDeclaredOrOnlySeenWhileStreaming() {
        try (ResumeFiles files = files(supabase.config("resumes"))) {
            assertThat(failure(files, ref("storage_path", "resumes/u1/big.pdf"), "storage_path")
                            .getMessage())
                    .contains("is larger than the 10 MB limit");
            assertThat(failure(files, ref("storage_path", "resumes/u1/big-streamed.pdf"), "storage_path")
                            .getMessage())
                    .contains("is larger than the 10 MB limit");
        }
    }

    @Test
    void htmlOrAnImageNamedResumePdfIsRefusedByItsContent() {
        try (ResumeFiles files = files(supabase.config("resumes"))) {
            assertThat(failure(files, ref("storage_path", "resumes/u1/login.pdf"), "storage_path")
                            .getMessage())
                    .contains("is not a PDF, DOC or DOCX file")
                    .contains("stored as text/html");
            assertThat(failure(files, ref("storage_path", "resumes/u1/photo.pdf"), "storage_path")
                            .getMessage())
                    .contains("is not a PDF, DOC or DOCX file")
                    .contains("stored as image/png");
        }
    }

    @Test
    void keysThatWouldLeaveTheBucketNeverReachTheServer() {
        List<String> escapes = List.of(
                "../private/secret.pdf",
                "resumes/../../private/secret.pdf",
                "/private/secret.pdf",
                "%2e%2e/private/secret.pdf",
                "..%2fprivate%2fsecret.pdf",
                "resumes\\..\\..\\private\\secret.pdf",
                "resumes//u1/cv.docx",
                supabase.url() + "/storage/v1/object/private/secret.pdf",
                "https://example.com/cv.pdf");
        try (ResumeFiles files = files(supabase.config("resumes"))) {
            for (String key : escapes) {
                assertThat(failure(files, ref("storage_path", key), "storage_path")
                                .getMessage())
                        .as(key)
                        .contains("must stay inside the bucket");
            }
        }
        assertThat(newRequests()).isEmpty();
    }

    @Test
    void aKeyWithPercentSignsIsAskedForLiterallyNotDecoded() {
        try (ResumeFiles files = files(supabase.config("resumes"))) {
            assertThat(failure(files, ref("storage_path", "resumes/u1/100%25 me.pdf"), "storage_path")
                            .getMessage())
                    .contains("not found");
        }
        assertThat(newRequests())
                .extracting(SupabaseStorageTestServer.Request::rawPath)
                .containsExactly("/storage/v1/object/resumes/resumes/u1/100%2525%20me.pdf");
    }

    @Test
    void anUnreachableProjectIsSaidToBeSo() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        try (ResumeFiles files = files(new SupabaseResumeStore.Config(
                "http://127.0.0.1:" + closed, SupabaseStorageTestServer.SERVICE_ROLE_KEY, "resumes"))) {
            assertThat(failure(files, ref("storage_path", "resumes/u1/cv.docx"), "storage_path")
                            .getMessage())
                    .contains("Supabase Storage bucket \"resumes\" at http://127.0.0.1:" + closed)
                    .contains("could not be fetched: store unreachable");
        }
    }

    @Test
    void aServerThatEchoesTheTokenOrRedirectsElsewhereNeverGetsItIntoAMessageOrToAnotherHost() throws IOException {
        List<String> elsewhere = new CopyOnWriteArrayList<>();
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        other.createContext("/", ex -> {
            elsewhere.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            ex.sendResponseHeaders(200, ResumeSamples.PDF.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(ResumeSamples.PDF);
            }
        });
        HttpServer odd = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        odd.createContext("/storage/v1/object/resumes/echo.pdf", ex -> {
            byte[] body = ("{\"statusCode\":\"500\",\"error\":\"internal\",\"message\":\"bad header "
                            + ex.getRequestHeaders().getFirst("Authorization") + " and apikey "
                            + ex.getRequestHeaders().getFirst("apikey")
                            + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(500, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        odd.createContext("/storage/v1/object/resumes/moved.pdf", ex -> {
            ex.getResponseHeaders()
                    .set("Location", "http://127.0.0.1:" + other.getAddress().getPort() + "/cv.pdf");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        other.start();
        odd.start();
        try (ResumeFiles files = files(new SupabaseResumeStore.Config(
                "http://127.0.0.1:" + odd.getAddress().getPort(),
                SupabaseStorageTestServer.SERVICE_ROLE_KEY,
                "resumes"))) {
            assertThat(failure(files, ref("storage_path", "echo.pdf"), "storage_path")
                            .getMessage())
                    .contains(
                            "could not be fetched: store error (HTTP 500 internal: bad header Bearer [redacted] and apikey [redacted])");
            assertThat(failure(files, ref("storage_path", "moved.pdf"), "storage_path")
                            .getMessage())
                    .contains("could not be fetched: store error (HTTP 302)");
            assertThat(elsewhere).isEmpty();
        } finally {
            odd.stop(0);
            other.stop(0);
        }
    }

    @Test
    void aUrlThatCannotWorkIsRefusedAtStartWithoutRepeatingIt() {
        Throwable inUrl = catchThrowable(() -> new SupabaseResumeStore(
                new SupabaseResumeStore.Config(
                        "https://service_role:" + SupabaseStorageTestServer.SERVICE_ROLE_KEY + "@abcd.supabase.co",
                        SupabaseStorageTestServer.SERVICE_ROLE_KEY,
                        ""),
                Duration.ofSeconds(5)));
        assertThat(inUrl)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not carry credentials");
        assertThat(ResumeFilesS3Test.everything(inUrl)).doesNotContain(SupabaseStorageTestServer.SERVICE_ROLE_KEY);
        assertThatThrownBy(() -> new SupabaseResumeStore(
                        new SupabaseResumeStore.Config(
                                "abcd.supabase.co", SupabaseStorageTestServer.SERVICE_ROLE_KEY, ""),
                        Duration.ofSeconds(5)))
                .hasMessageContaining("SUPABASE_URL must be the project's http or https URL");
    }

    @Test
    void supabaseWinsOverTheFolderAndAUrlWithoutAKeyIsNoStoreAtAll() throws IOException {
        Files.createDirectories(tmp.resolve("resumes/u1"));
        Files.write(tmp.resolve("resumes/u1/local.pdf"), ResumeSamples.PDF);
        ResumeStorage both = new ResumeStorage(null, supabase.config("resumes"), tmp.toString());
        try (ResumeFiles files = both.open()) {
            assertThat(both.describe(files))
                    .contains("Supabase Storage bucket \"resumes\"")
                    .contains("GH_RESUME_DIR set too, and not used for them");
            assertThat(failure(files, ref("storage_path", "resumes/u1/local.pdf"), "storage_path")
                            .getMessage())
                    .contains("not found");
        }
        ResumeStorage urlOnly =
                new ResumeStorage(null, new SupabaseResumeStore.Config(supabase.url(), "", "resumes"), tmp.toString());
        try (ResumeFiles files = urlOnly.open();
                ResumeFile local = files.resolve(ref("storage_path", "resumes/u1/local.pdf"))
                        .orElseThrow()) {
            assertThat(local.source()).isEqualTo("storage_path");
            assertThat(urlOnly.describe(files)).contains("the folder " + tmp.toAbsolutePath());
        }
    }
}
