package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.activities.engine.resumefile.S3TestServer;
import io.ghosthands.activities.engine.resumefile.SupabaseStorageTestServer;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApplicationSite;
import io.ghosthands.app.support.ApplicationSite.Submission;
import io.ghosthands.app.support.TestStack;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * VALET's own apply request, as its client sends it (JSON with {@code X-GH-Service-Key}; the résumé
 * only as {@code resume.storage_path}, the key VALET's upload gave it in the {@code resumes}
 * bucket; {@code platform:"unknown"}, an empty e-mail, {@code graduation_year:0}, no location, a
 * {@code ?token=} callback URL, {@code max_retries:1}), run through a whole application in Chromium
 * on a loopback job site: once with the worker's résumés in an S3-compatible bucket (S3Proxy,
 * checking AWS V4 signatures), once in Supabase Storage (its REST download route). The job
 * completes and the file the site received is, byte for byte, the stored object. A key that is not
 * there fails the job with {@code resume_unavailable} naming the bucket. The store's secret shows
 * nowhere: not in the job, its events, VALET's status view, the callbacks, nor the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class ValetResumeStorageTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String USER = UUID.randomUUID().toString();
    /** Where VALET's upload puts a résumé: resumes/{user}/{uuid}-{file name}, in bucket "resumes". */
    private static final String KEY = "resumes/" + USER + "/" + UUID.randomUUID() + "-Jane_Doe_CV.pdf";

    private static final String CALLBACK_TOKEN = "valet-service-secret";
    /** A PDF with every byte value in it, so any re-encoding on the way shows. */
    private static final byte[] RESUME = resume();

    private static ApplicationSite site;
    private static S3TestServer s3;
    private static SupabaseStorageTestServer supabase;
    private static final List<String> callbacks = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        site = new ApplicationSite();
        site.route("/api/v1/webhooks/ghosthands", ex -> {
            callbacks.add(
                    ex.getRequestURI() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ApplicationSite.send(ex, 200, "application/json", "{\"received\":true}".getBytes(StandardCharsets.UTF_8));
        });
        s3 = S3TestServer.start("resumes");
        s3.put("resumes", KEY, RESUME, "application/pdf");
        supabase = SupabaseStorageTestServer.start("resumes");
        supabase.put("resumes", KEY, RESUME, "application/pdf");
    }

    @AfterAll
    static void stop() {
        site.close();
        s3.close();
        supabase.close();
    }

    @BeforeEach
    void reset() {
        site.reset();
        callbacks.clear();
    }

    private static byte[] resume() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj << /Type /Catalog >> endobj\nstream\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 64 * 1024; i++) {
            out.write(i * 31 & 0xff);
        }
        out.writeBytes("\nendstream\ntrailer\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** The body VALET's GhostHandsClient.submitApplication builds for a user with a parsed résumé. */
    private static String valetApplyBody(String storagePath) {
        return "{\"valet_task_id\":\"" + UUID.randomUUID() + "\",\"valet_user_id\":\"" + USER + "\","
                + "\"target_url\":\"" + site.url(ApplicationSite.QUICK_APPLY) + "\",\"platform\":\"unknown\","
                + "\"resume\":{\"storage_path\":\"" + storagePath + "\"},"
                + "\"profile\":{\"first_name\":\"Jane\",\"last_name\":\"Doe\",\"email\":\"\",\"phone\":\"+1 415 555 0123\","
                + "\"linkedin_url\":\"linkedin.com/in/janedoe\",\"work_authorization\":\"US Citizen\","
                + "\"years_of_experience\":7.5,\"education\":[{\"institution\":\"UC Berkeley\",\"degree\":\"B.S.\","
                + "\"field\":\"\",\"graduation_year\":0}],\"work_history\":[{\"company\":\"Acme\",\"title\":\"Engineer\","
                + "\"start_date\":\"2019-01\"}],\"skills\":[\"Java\",\"Postgres\"]},"
                + "\"callback_url\":\"" + site.url("/api/v1/webhooks/ghosthands") + "?token=" + CALLBACK_TOKEN + "\","
                + "\"quality\":\"speed\",\"max_retries\":1}";
    }

    @Test
    void anApplicationGetsItsResumeFromAnS3CompatibleBucket(CapturedOutput log) {
        Map<String, Object> config = Map.of(
                "gh.worker.resume-storage.s3.bucket", "resumes",
                "gh.worker.resume-storage.s3.endpoint", s3.endpoint(),
                "gh.worker.resume-storage.s3.region", S3TestServer.REGION,
                "gh.worker.resume-storage.s3.access-key-id", S3TestServer.ACCESS_KEY_ID,
                "gh.worker.resume-storage.s3.secret-access-key", S3TestServer.SECRET_ACCESS_KEY);
        try (TestStack stack = TestStack.start("resume_s3", GhostHands.Roles.DEV, config)) {
            String store = "S3 bucket \"resumes\" at " + s3.endpoint();
            assertThat(log.getAll()).contains("résumé storage paths resolve against " + store);
            appliesWithTheStoredResume(stack);
            failsNamingTheBucketWhenTheKeyIsNotThere(stack, store);
            assertNoSecretIn(log.getAll(), S3TestServer.SECRET_ACCESS_KEY);
            assertNoSecretIn(everythingStoredAbout(stack), S3TestServer.SECRET_ACCESS_KEY);
        }
    }

    @Test
    void anApplicationGetsItsResumeFromSupabaseStorage(CapturedOutput log) {
        Map<String, Object> config = Map.of(
                "gh.worker.resume-storage.supabase.url",
                supabase.url(),
                "gh.worker.resume-storage.supabase.service-role-key",
                SupabaseStorageTestServer.SERVICE_ROLE_KEY);
        try (TestStack stack = TestStack.start("resume_supabase", GhostHands.Roles.DEV, config)) {
            String store = "Supabase Storage bucket \"resumes\" at " + supabase.url();
            assertThat(log.getAll()).contains("résumé storage paths resolve against " + store);
            appliesWithTheStoredResume(stack);
            assertThat(supabase.requests()).anySatisfy(r -> {
                assertThat(r.rawPath()).isEqualTo("/storage/v1/object/resumes/" + KEY);
                assertThat(r.authorization()).isEqualTo("Bearer " + SupabaseStorageTestServer.SERVICE_ROLE_KEY);
            });
            failsNamingTheBucketWhenTheKeyIsNotThere(stack, store);
            assertNoSecretIn(log.getAll(), SupabaseStorageTestServer.SERVICE_ROLE_KEY);
            assertNoSecretIn(everythingStoredAbout(stack), SupabaseStorageTestServer.SERVICE_ROLE_KEY);
        }
    }

    private void appliesWithTheStoredResume(TestStack stack) {
        ApiClient.Answer created = stack.api().post("/api/v1/gh/valet/apply", valetApplyBody(KEY));
        assertThat(created.status()).as("%s", created.json()).isEqualTo(201);
        String id = created.json().path("job_id").asString();

        JsonNode job = stack.api().awaitJob(id, ApiClient::terminal, WAIT);

        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("completed");
        assertThat(job.path("result_data").path("resume_uploaded").asBoolean()).isTrue();
        assertThat(job.path("result_data").path("confirmation_id").asString()).isEqualTo(ApplicationSite.CONFIRMATION);
        assertThat(site.submissions()).hasSize(1);
        Submission form = site.submissions().get(0);
        assertThat(form.part("first_name"))
                .get()
                .extracting(Submission.Part::value)
                .isEqualTo("Jane");
        assertThat(form.part("email")).get().extracting(Submission.Part::value).isEqualTo("");
        Submission.Part resume = form.part("resume").orElseThrow();
        assertThat(resume.filename()).endsWith("-Jane_Doe_CV.pdf");
        assertThat(resume.bytes()).as("the uploaded file is the stored object").isEqualTo(RESUME);
        awaitCallback("\"status\":\"completed\"");
    }

    private void failsNamingTheBucketWhenTheKeyIsNotThere(TestStack stack, String store) {
        site.reset();
        String missing = "resumes/" + USER + "/gone.pdf";
        String id = stack.api()
                .post("/api/v1/gh/valet/apply", valetApplyBody(missing))
                .json()
                .path("job_id")
                .asString();
        JsonNode job = stack.api().awaitJob(id, ApiClient::terminal, WAIT);
        assertThat(job.path("status").asString()).as("%s", job).isEqualTo("failed");
        assertThat(job.path("error_code").asString()).isEqualTo("resume_unavailable");
        JsonNode status = stack.api().get("/api/v1/gh/valet/status/" + id).json();
        assertThat(status.path("error").path("code").asString()).isEqualTo("resume_unavailable");
        assertThat(status.path("error").path("message").asString())
                .contains("storage_path " + missing)
                .contains(store)
                .contains("could not be fetched: not found");
        assertThat(site.submissions()).isEmpty();
        awaitCallback("\"error_code\":\"resume_unavailable\"");
    }

    private static void awaitCallback(String part) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (callbacks.stream().noneMatch(c -> c.contains(part)) && System.nanoTime() < until) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(callbacks).anySatisfy(c -> assertThat(c).contains(part).contains("token=" + CALLBACK_TOKEN));
    }

    /** Every job row and event of the stack's database, and every callback, as text. */
    private static String everythingStoredAbout(TestStack stack) {
        JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
        return String.join(
                        "\n", jdbc.queryForList("SELECT row_to_json(j)::text FROM gh_automation_jobs j", String.class))
                + String.join("\n", jdbc.queryForList("SELECT row_to_json(e)::text FROM gh_job_events e", String.class))
                + String.join("\n", callbacks);
    }

    private static void assertNoSecretIn(String text, String secret) {
        assertThat(text).isNotEmpty();
        assertThat(text.contains(secret)).as("the secret appears").isFalse();
    }
}
