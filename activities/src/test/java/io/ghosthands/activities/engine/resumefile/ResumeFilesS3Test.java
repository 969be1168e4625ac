package io.ghosthands.activities.engine.resumefile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Résumés named by {@code storage_path} or {@code s3_key} come from a real S3 server (S3Proxy on
 * loopback, checking AWS V4 signatures): found ones arrive byte for byte; missing, refused, too
 * large, mistyped and escaping ones fail with {@code resume_unavailable} naming the bucket and the
 * reason; and no credential ever shows in a message, a stack trace or a description.
 */
class ResumeFilesS3Test {

    private static final String WRONG_SECRET = "wrong-secret-Hq2Lm8Vx0Pz6Rk4Ty1";
    private static S3TestServer s3;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        s3 = S3TestServer.start("resumes", "private");
        s3.put("resumes", "users/42/Jane Doe CV.pdf", ResumeSamples.PDF, "application/pdf");
        s3.put("resumes", "users/42/cv.docx", ResumeSamples.DOCX, "application/octet-stream");
        s3.put("resumes", "users/42/login.pdf", ResumeSamples.HTML, "text/html; charset=utf-8");
        s3.put("resumes", "users/42/photo.pdf", ResumeSamples.PNG, "image/png");
        s3.put("resumes", "users/42/big.pdf", ResumeSamples.ELEVEN_MB_PDF, "application/pdf");
        s3.put("private", "secret.pdf", ResumeSamples.PDF, "application/pdf");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    private static ResumeFiles files(S3ResumeStore.Config config) {
        return new ResumeStorage(config, SupabaseResumeStore.Config.NONE, "")
                .open(Duration.ofSeconds(10), ResumeFiles.MAX_BYTES);
    }

    private static Map<String, Object> ref(String key, String value) {
        return Map.of("resume_ref", Map.of(key, value));
    }

    /** The failure, after checking it is {@code resume_unavailable} from {@code source} and shows no secret. */
    private static ResumeUnavailableException failure(ResumeFiles files, Map<String, Object> input, String source) {
        Throwable thrown = catchThrowable(() -> files.resolve(input));
        assertThat(thrown).isInstanceOf(ResumeUnavailableException.class);
        ResumeUnavailableException e = (ResumeUnavailableException) thrown;
        assertThat(e.errorCode()).isEqualTo("resume_unavailable");
        assertThat(e.source()).isEqualTo(source);
        assertNoSecret(everything(e));
        return e;
    }

    /** Message, causes and stack trace: all a log line of the exception could show. */
    static String everything(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static void assertNoSecret(String text) {
        assertThat(text)
                .doesNotContain(S3TestServer.SECRET_ACCESS_KEY)
                .doesNotContain(WRONG_SECRET)
                .doesNotContain(S3TestServer.ACCESS_KEY_ID);
    }

    @Test
    void aPdfByStoragePathAndADocxByS3KeyArriveByteForByteUnderTheirOwnNames() throws Exception {
        try (ResumeFiles files = files(s3.config("resumes"))) {
            try (ResumeFile pdf = files.resolve(ref("storage_path", "users/42/Jane Doe CV.pdf"))
                    .orElseThrow()) {
                assertThat(pdf.format()).isEqualTo(ResumeFormat.PDF);
                assertThat(pdf.source()).isEqualTo("storage_path");
                assertThat(pdf.path().getFileName().toString()).isEqualTo("Jane Doe CV.pdf");
                assertThat(Files.readAllBytes(pdf.path())).isEqualTo(ResumeSamples.PDF);
            }
            try (ResumeFile docx =
                    files.resolve(ref("s3_key", "users/42/cv.docx")).orElseThrow()) {
                assertThat(docx.format()).isEqualTo(ResumeFormat.DOCX);
                assertThat(docx.source()).isEqualTo("s3_key");
                assertThat(Files.readAllBytes(docx.path())).isEqualTo(ResumeSamples.DOCX);
            }
        }
    }

    @Test
    void aMissingObjectIsNotFoundAndTheMessageNamesTheKeyAndTheBucket() {
        try (ResumeFiles files = files(s3.config("resumes"))) {
            ResumeUnavailableException e = failure(files, ref("storage_path", "users/42/nope.pdf"), "storage_path");
            assertThat(e.getMessage())
                    .contains("storage_path users/42/nope.pdf")
                    .contains("S3 bucket \"resumes\" at " + s3.endpoint())
                    .contains("could not be fetched: not found")
                    .contains("NoSuchKey");
            assertThat(failure(files, ref("s3_key", "users/42/nope.pdf"), "s3_key")
                            .getMessage())
                    .contains("not found");
        }
        try (ResumeFiles files = files(s3.config("no-such-bucket"))) {
            assertThat(failure(files, ref("storage_path", "users/42/cv.docx"), "storage_path")
                            .getMessage())
                    .contains("not found")
                    .contains("NoSuchBucket");
        }
    }

    @Test
    void aWrongSecretOrAnUnknownKeyIdIsRefusedAsAccessDeniedWithoutShowingEitherKey() {
        S3ResumeStore.Config right = s3.config("resumes");
        S3ResumeStore.Config wrongSecret = new S3ResumeStore.Config(
                "resumes", right.endpoint(), right.region(), right.accessKeyId(), WRONG_SECRET);
        try (ResumeFiles files = files(wrongSecret)) {
            assertThat(failure(files, ref("storage_path", "users/42/Jane Doe CV.pdf"), "storage_path")
                            .getMessage())
                    .contains("could not be fetched: access denied")
                    .contains("HTTP 403");
            assertNoSecret(files.describeStorage());
        }
        S3ResumeStore.Config unknownId = new S3ResumeStore.Config(
                "resumes", right.endpoint(), right.region(), "AKIDNOBODY0000000000", right.secretAccessKey());
        try (ResumeFiles files = files(unknownId)) {
            assertThat(failure(files, ref("storage_path", "users/42/Jane Doe CV.pdf"), "storage_path")
                            .getMessage())
                    .contains("access denied");
        }
        assertNoSecret(right.toString());
        assertNoSecret(new ResumeStorage(right, SupabaseResumeStore.Config.NONE, "").toString());
    }

    @Test
    void anObjectOverTenMegabytesIsRefusedByItsDeclaredSize() {
        try (ResumeFiles files = files(s3.config("resumes"))) {
            assertThat(failure(files, ref("storage_path", "users/42/big.pdf"), "storage_path")
                            .getMessage())
                    .contains("users/42/big.pdf")
                    .contains("is larger than the 10 MB limit");
        }
    }

    @Test
    void aStreamThatGrowsPastTheLimitIsCutOffThere() throws IOException {
        long[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                read[0]++;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                read[0] += len;
                return len;
            }
        };
        assertThatThrownBy(() -> S3ResumeStore.copyCapped(endless, tmp.resolve("part"), 1024 * 1024))
                .isInstanceOfSatisfying(
                        ResumeStoreException.class,
                        e -> assertThat(e.reason()).isEqualTo(ResumeStoreException.Reason.TOO_LARGE));
        assertThat(read[0]).isLessThanOrEqualTo(1024 * 1024 + 64 * 1024);
        assertThat(Files.size(tmp.resolve("part"))).isLessThanOrEqualTo(1024 * 1024);
        try {
            S3ResumeStore.copyCapped(new ByteArrayInputStream(ResumeSamples.PDF), tmp.resolve("ok"), 1024);
        } catch (ResumeStoreException e) {
            throw new AssertionError(e);
        }
        assertThat(Files.readAllBytes(tmp.resolve("ok"))).isEqualTo(ResumeSamples.PDF);
    }

    @Test
    void htmlOrAnImageNamedResumePdfIsRefusedByItsContent() {
        try (ResumeFiles files = files(s3.config("resumes"))) {
            assertThat(failure(files, ref("storage_path", "users/42/login.pdf"), "storage_path")
                            .getMessage())
                    .contains("is not a PDF, DOC or DOCX file")
                    .contains("stored as text/html");
            assertThat(failure(files, ref("s3_key", "users/42/photo.pdf"), "s3_key")
                            .getMessage())
                    .contains("is not a PDF, DOC or DOCX file")
                    .contains("stored as image/png");
        }
    }

    @Test
    void keysThatWouldLeaveTheBucketAreRefused() {
        List<String> escapes = List.of(
                "../private/secret.pdf",
                "users/../../private/secret.pdf",
                "/private/secret.pdf",
                "%2e%2e/private/secret.pdf",
                "users/%2E%2E/%2e%2e/private/secret.pdf",
                "..%2Fprivate%2Fsecret.pdf",
                "users\\..\\..\\private\\secret.pdf",
                "./users/42/cv.docx",
                "users//42/cv.docx",
                "users/42/",
                s3.endpoint() + "/private/secret.pdf",
                "s3://private/secret.pdf",
                "users/42\n/cv.docx");
        try (ResumeFiles files = files(s3.config("resumes"))) {
            for (String key : escapes) {
                for (String source : List.of("storage_path", "s3_key")) {
                    assertThat(failure(files, ref(source, key), source).getMessage())
                            .as(key)
                            .contains("must stay inside the bucket");
                }
            }
        }
    }

    @Test
    void anUnreachableStoreIsSaidToBeSo() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        S3ResumeStore.Config right = s3.config("resumes");
        S3ResumeStore.Config nowhere = new S3ResumeStore.Config(
                "resumes", "http://127.0.0.1:" + closed, right.region(), right.accessKeyId(), right.secretAccessKey());
        try (ResumeFiles files = files(nowhere)) {
            assertThat(failure(files, ref("storage_path", "users/42/cv.docx"), "storage_path")
                            .getMessage())
                    .contains("S3 bucket \"resumes\" at http://127.0.0.1:" + closed)
                    .contains("could not be fetched: store unreachable");
        }
    }

    @Test
    void settingsThatCannotWorkAreRefusedAtStartWithoutRepeatingASecret() {
        S3ResumeStore.Config right = s3.config("resumes");
        assertThatThrownBy(() -> new S3ResumeStore(
                        new S3ResumeStore.Config("resumes", right.endpoint(), "", right.accessKeyId(), ""),
                        Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GH_RESUME_S3_ACCESS_KEY_ID and GH_RESUME_S3_SECRET_ACCESS_KEY go together");
        Throwable inUrl = catchThrowable(() -> new S3ResumeStore(
                new S3ResumeStore.Config(
                        "resumes",
                        "http://" + right.accessKeyId() + ":" + right.secretAccessKey() + "@127.0.0.1:9000",
                        "",
                        "",
                        ""),
                Duration.ofSeconds(5)));
        assertThat(inUrl)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not carry credentials");
        assertNoSecret(everything(inUrl));
        assertThatThrownBy(() -> new S3ResumeStore(
                        new S3ResumeStore.Config("resumes", "ftp://127.0.0.1", "", "", ""), Duration.ofSeconds(5)))
                .hasMessageContaining("GH_RESUME_S3_ENDPOINT must be an http or https URL");
    }

    @Test
    void theS3BucketWinsOverSupabaseAndTheFolderAndTheStartUpLineSaysSo() {
        ResumeStorage all = new ResumeStorage(
                s3.config("resumes"),
                new SupabaseResumeStore.Config("http://127.0.0.1:1", "supabase-key-not-used", "resumes"),
                tmp.toString());
        try (ResumeFiles files = all.open()) {
            String line = all.describe(files);
            assertThat(line)
                    .contains("S3 bucket \"resumes\" at " + s3.endpoint())
                    .contains("SUPABASE_URL and GH_RESUME_DIR set too, and not used for them");
            assertNoSecret(line);
            assertThat(line).doesNotContain("supabase-key-not-used");
            assertThat(files.resolve(ref("storage_path", "users/42/cv.docx")))
                    .isPresent()
                    .get()
                    .satisfies(ResumeFile::close);
        }
    }
}
