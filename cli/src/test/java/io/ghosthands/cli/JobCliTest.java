package io.ghosthands.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ghosthands.app.support.CallbackReceiver;
import io.ghosthands.app.support.SharedDevStack;
import io.ghosthands.app.support.TestPages;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.client.CreateJobOptions;
import io.ghosthands.client.GhostHandsClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code gh job …} as a user runs it (the real entry point, in-process) against a running API. */
class JobCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestStack stack;
    private static TestPages pages;
    private static GhostHandsClient client;
    private static String[] api;

    @BeforeAll
    static void start() {
        stack = SharedDevStack.get();
        pages = new TestPages();
        client = new GhostHandsClient(stack.api().baseUrl(), TestStack.SERVICE_KEY);
        api = new String[] {"--api-url=" + stack.api().baseUrl(), "--key=" + TestStack.SERVICE_KEY};
    }

    @AfterAll
    static void stop() {
        pages.close();
    }

    record Run(int exit, String out, String err) {}

    private static Run gh(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + (args.length >= 2 && args[0].equals("job") ? 2 : 0)];
        int i = 0;
        for (String a : args) {
            full[i++] = a;
            if (i == 2 && args[0].equals("job")) {
                full[i++] = api[0];
                full[i++] = api[1];
            }
        }
        int exit = GhCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), full);
        return new Run(exit, out.toString(), err.toString());
    }

    private String job(String path, String worker) {
        return client.createJob(new CreateJobOptions()
                        .jobType("scrape")
                        .targetUrl(pages.url(path))
                        .taskDescription("cli")
                        .targetWorkerId(worker)
                        .maxRetries(0))
                .id();
    }

    @Test
    void listShowsJobsMostRelevantFirstWithFiltersAndJson() throws Exception {
        String worker = "cli-" + UUID.randomUUID().toString().substring(0, 6);
        Run empty = gh("job", "ls", "--worker=" + worker);
        assertThat(empty.exit()).isZero();
        assertThat(empty.out().strip()).isEqualTo("No jobs found.");

        String waiting = job("/blank", worker);
        String done = job("/blank", null);
        client.waitForCompletion(done, Duration.ofSeconds(60), Duration.ofMillis(100));
        Run list = gh("job", "list", "--limit=100");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("STATUS", "ID", "TYPE", "TARGET", "WORKER", "AGE", "URL");
        assertThat(list.out())
                .contains(waiting.substring(0, 8))
                .contains(done.substring(0, 8))
                .contains(worker);
        assertThat(list.out().indexOf(waiting.substring(0, 8)))
                .as("waiting jobs before finished ones")
                .isLessThan(list.out().indexOf(done.substring(0, 8)));
        assertThat(list.out()).containsPattern("\\d+ of \\d+ jobs? shown");
        assertThat(list.out()).as("no colour codes when not on a terminal").doesNotContain("\u001b[");

        Run mine = gh("job", "ls", "--worker", worker, "--json");
        JsonNode parsed = JSON.readTree(mine.out());
        assertThat(parsed.path("total").asInt()).isEqualTo(1);
        assertThat(parsed.path("jobs").get(0).path("id").asText()).isEqualTo(waiting);
        assertThat(JSON.readTree(gh("job", "ls", "--status=completed", "--type=scrape", "--json")
                                .out())
                        .path("jobs")
                        .findValuesAsText("status"))
                .containsOnly("completed");
        assertThat(gh("job", "ls", "--limit=0").exit()).isEqualTo(2);
        gh("job", "cancel", waiting);
    }

    @Test
    void statusAcceptsShortIdsAndSaysWhatIsAmbiguousOrUnknown() throws Exception {
        String id = job("/gone", null);
        client.waitForCompletion(id, Duration.ofSeconds(60), Duration.ofMillis(100));
        Run status = gh("job", "s", id.substring(0, 6));
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out())
                .contains("Job " + id)
                .contains("failed")
                .contains("page_load_failed")
                .contains("HTTP 404")
                .contains("Screenshot")
                .contains("Duration")
                .contains("Target");
        assertThat(JSON.readTree(gh("job", "status", id, "--json").out())
                        .path("error_code")
                        .asText())
                .isEqualTo("page_load_failed");

        JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
        String stem = "abcd" + Integer.toHexString(0x1000 + (int) (Math.random() * 0xe000));
        for (String suffix : new String[] {"-0000-4000-8000-000000000001", "-0000-4000-8000-000000000002"}) {
            jdbc.update(
                    "INSERT INTO gh_automation_jobs (id, job_type, target_url, status) VALUES (?::uuid, 'scrape', 'http://x', 'failed')",
                    stem + suffix);
        }
        Run ambiguous = gh("job", "status", stem);
        assertThat(ambiguous.exit()).isEqualTo(1);
        assertThat(ambiguous.err())
                .contains("ambiguous")
                .contains(stem + "-0000-4000-8000-000000000001")
                .contains(stem + "-0000-4000-8000-000000000002");
        Run unknown = gh("job", "status", "ffffffff-ffff");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("No job matches");
        assertThat(gh("job", "status", "abc").exit())
                .as("a 3-character prefix is a usage error")
                .isEqualTo(2);
        assertThat(gh("job", "status", UUID.randomUUID().toString()).exit()).isEqualTo(1);
    }

    @Test
    void statusPrintsTheLiveViewLinkOfAPausedJob() throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
        String id = UUID.randomUUID().toString();
        String link = stack.api().baseUrl() + "/live/" + id + "?mode=control&exp=4102444800&sig=ab12";
        jdbc.update(
                "INSERT INTO gh_automation_jobs (id, job_type, target_url, status, interaction_type, interaction_data, paused_at)"
                        + " VALUES (?::uuid, 'apply', 'http://x', 'paused', 'captcha', ?::jsonb, now())",
                id,
                "{\"type\":\"captcha\",\"live_url\":\"" + link + "\"}");
        try {
            // whatever link the API hands out for this pause is the one printed
            String served = client.getJob(id).interactionData().path("live_url").asText();
            assertThat(served).contains("/live/" + id + "?");
            Run status = gh("job", "status", id);
            assertThat(status.exit()).as(status.err()).isZero();
            assertThat(status.out()).containsPattern("(?m)^  Live view +\\Q" + served + "\\E$");

            jdbc.update(
                    "UPDATE gh_automation_jobs SET status = 'cancelled', completed_at = now() WHERE id = ?::uuid", id);
            assertThat(gh("job", "status", id).out())
                    .as("only a paused job has a live view")
                    .doesNotContain("Live view");
        } finally {
            jdbc.update(
                    "UPDATE gh_automation_jobs SET status = 'cancelled', completed_at = now() WHERE id = ?::uuid", id);
        }
    }

    /**
     * Against the API's {@code GET /jobs/{id}/live?mode=watch} ({@code {job_id, mode, live_url,
     * expires_at}}; 404 unknown job, 409 a job with no page to show).
     */
    @Test
    void watchPrintsAReadOnlyLinkOfARunningJob() throws Exception {
        String id = job("/slow", null);
        try {
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!"running".equals(client.getJob(id).status()) && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            Run watch = gh("job", "watch", id.substring(0, 8));
            assertThat(watch.exit()).as(watch.err()).isZero();
            assertThat(watch.out())
                    .contains("Live view of job " + id)
                    .contains("read-only")
                    .containsPattern("(?m)^  Link +http\\S*/live/" + id + "\\?\\S*mode=watch")
                    .contains("Expires");
            assertThat(watch.out()).as("no key in the link").doesNotContain(TestStack.SERVICE_KEY);

            JsonNode json = JSON.readTree(gh("job", "watch", id, "--json").out());
            assertThat(json.path("job_id").asText()).isEqualTo(id);
            assertThat(json.path("mode").asText()).isEqualTo("watch");
            assertThat(json.path("live_url").asText())
                    .contains("/live/" + id + "?")
                    .contains("sig=");
            assertThat(json.path("expires_at").asText()).isNotBlank();
        } finally {
            client.cancelJob(id);
        }

        Run unknown = gh("job", "watch", UUID.randomUUID().toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("Job not found");
        String done = job("/blank", null);
        client.waitForCompletion(done, Duration.ofSeconds(60), Duration.ofMillis(100));
        Run finished = gh("job", "watch", done);
        assertThat(finished.exit()).as("a finished job has no page to watch").isEqualTo(1);
        assertThat(finished.err()).startsWith("gh: ").contains("HTTP 409");
    }

    @Test
    void cancelOneAllOrAWorkersJobs() throws Exception {
        String worker = "cli-" + UUID.randomUUID().toString().substring(0, 6);
        String one = job("/blank", worker);
        Run c = gh("job", "c", one.substring(0, 8));
        assertThat(c.exit()).isZero();
        assertThat(c.out()).contains("Cancelled " + one.substring(0, 8));
        Run again = gh("job", "cancel", one);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.out()).contains("not cancellable").contains("cancelled");

        String a = job("/blank", worker);
        String b = job("/blank", worker);
        Run byWorker = gh("job", "cancel", "--worker=" + worker, "--json");
        assertThat(byWorker.exit()).isZero();
        assertThat(JSON.readTree(byWorker.out()).findValuesAsText("id")).containsExactlyInAnyOrder(a, b);
        assertThat(client.getJob(a).status()).isEqualTo("cancelled");

        String x = job("/blank", worker + "-x");
        Run all = gh("job", "cancel", "--all", "--yes");
        assertThat(all.exit()).isZero();
        assertThat(all.out()).contains("Cancelled " + x.substring(0, 8));
        assertThat(client.getJob(x).status()).isEqualTo("cancelled");
        assertThat(gh("job", "cancel").exit()).isEqualTo(2);
        assertThat(gh("job", "cancel", x, "--all").exit()).isEqualTo(2);
    }

    @Test
    void everyCancelCommandSendsEachJobsCancelledCallbackOnce() throws Exception {
        try (CallbackReceiver receiver = new CallbackReceiver()) {
            String worker = "cli-cb-" + UUID.randomUUID().toString().substring(0, 6);
            Function<String, String> waiting = target -> client.createJob(new CreateJobOptions()
                            .jobType("scrape")
                            .targetUrl(pages.url("/blank"))
                            .taskDescription("cli")
                            .targetWorkerId(target)
                            .workerAffinity("strict")
                            .maxRetries(0)
                            .callbackUrl(receiver.url("/cb?token=t")))
                    .id();

            String one = waiting.apply(worker);
            assertThat(gh("job", "cancel", one).exit()).isZero();
            String a = waiting.apply(worker);
            String b = waiting.apply(worker);
            assertThat(gh("job", "cancel", "--worker=" + worker).exit()).isZero();
            String x = waiting.apply(worker + "-x");
            assertThat(gh("job", "cancel", "--all", "--yes").exit()).isZero();

            for (String id : new String[] {one, a, b, x}) {
                assertThat(receiver.await(id, "cancelled"))
                        .containsEntry("job_id", id)
                        .containsEntry("status", "cancelled");
            }
            Thread.sleep(3000); // a second callback, were one coming, would have arrived by now
            for (String id : new String[] {one, a, b, x}) {
                assertThat(receiver.statuses(id)).as("callbacks of %s", id).containsExactly("cancelled");
            }
        }
    }

    @Test
    void retryPrintsTheNewAttempt() throws Exception {
        String id = job("/gone", null);
        client.waitForCompletion(id, Duration.ofSeconds(60), Duration.ofMillis(100));
        Run r = gh("job", "r", id.substring(0, 8));
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Retrying " + id.substring(0, 8) + ": attempt 2");
        client.waitForCompletion(id, Duration.ofSeconds(60), Duration.ofMillis(100));
        String completed = job("/blank", null);
        client.waitForCompletion(completed, Duration.ofSeconds(60), Duration.ofMillis(100));
        Run notAllowed = gh("job", "retry", completed);
        assertThat(notAllowed.exit()).isEqualTo(1);
        assertThat(notAllowed.err()).contains("completed");
        assertThat(JSON.readTree(gh("job", "retry", id, "--json").out())
                        .path("retry_count")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void logsPrintTheEventsAndFollowEndsWhenTheJobEnds() throws Exception {
        String done = job("/blank", null);
        client.waitForCompletion(done, Duration.ofSeconds(60), Duration.ofMillis(100));
        Run logs = gh("job", "l", done.substring(0, 8));
        assertThat(logs.exit()).isZero();
        assertThat(logs.out()).contains("job_created").contains("job_started").contains("job_completed");
        assertThat(logs.out().indexOf("job_created")).isLessThan(logs.out().indexOf("job_completed"));
        String[] lines = gh("job", "logs", done, "--json").out().strip().split("\n");
        assertThat(JSON.readTree(lines[0]).path("event_type").asText()).isEqualTo("job_created");

        String waiting =
                job("/blank", "cli-nobody-" + UUID.randomUUID().toString().substring(0, 4));
        CompletableFuture<Run> follow = CompletableFuture.supplyAsync(() -> gh("job", "logs", "--follow", waiting));
        Thread.sleep(1500);
        assertThat(follow).isNotDone();
        client.cancelJob(waiting);
        Run followed = follow.get(10, TimeUnit.SECONDS);
        assertThat(followed.exit()).isZero();
        assertThat(followed.out()).contains("job_created").contains("job_cancelled");
    }

    @Test
    void submitTestJobAimsAtTheWorkerAndSaysHowToFollowIt() throws Exception {
        String worker = "cli-test-" + UUID.randomUUID().toString().substring(0, 4);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GhCommand.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "submit-test-job",
                api[0],
                api[1],
                "--worker-id=" + worker,
                "--url=" + pages.url("/blank"));
        assertThat(exit).as(err.toString()).isZero();
        String id = out.toString().lines().findFirst().orElseThrow().split(" ")[2];
        assertThat(client.getJob(id).targetWorkerId()).isEqualTo(worker);
        assertThat(out.toString())
                .contains("./gh job status " + id.substring(0, 8))
                .contains("./gh job logs --follow");
        client.cancelJob(id);
    }

    @Test
    void helpIsCompleteAndCompletionCanBeGenerated() {
        Run help = gh("job", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("list", "ls", "status", "s", "cancel", "c", "retry", "r", "logs", "l", "watch");
        for (String sub : new String[] {"list", "status", "cancel", "retry", "logs", "watch"}) {
            Run h = gh("job", sub, "--help");
            assertThat(h.exit()).isZero();
            assertThat(h.out()).contains("--json").contains("--api-url");
        }
        Run completion = gh("generate-completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).contains("complete -F").contains("job");
        Run unauthorized = GhCommandRun.withKey("wrong", stack.api().baseUrl());
        assertThat(unauthorized.exit()).isEqualTo(1);
        assertThat(unauthorized.err()).contains("GH_SERVICE_KEY");
    }

    /** Runs with a given key, for the auth error path. */
    static final class GhCommandRun {
        static Run withKey(String key, String url) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = GhCommand.execute(
                    new PrintWriter(out, true),
                    new PrintWriter(err, true),
                    "job",
                    "ls",
                    "--api-url=" + url,
                    "--key=" + key);
            return new Run(exit, out.toString(), err.toString());
        }
    }
}
