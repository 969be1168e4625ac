package io.ghosthands.cli.job;

import io.ghosthands.client.CreateJobOptions;
import io.ghosthands.client.GhostHandsClient;
import io.ghosthands.client.Models.CreatedJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gh submit-test-job}: a quick job to see a worker (or the pool) take work. */
@Command(
        name = "submit-test-job",
        mixinStandardHelpOptions = true,
        description = "Create a scrape job (aimed at one worker with --worker-id) and print how to follow it.")
public class SubmitTestJobCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--worker-id",
            paramLabel = "NAME",
            description = "Only the worker started with --worker-id=NAME may run it.")
    String workerId;

    @Option(
            names = "--url",
            paramLabel = "URL",
            defaultValue = "https://example.com",
            description = "Page to open (default ${DEFAULT-VALUE}).")
    String url;

    @Override
    public Integer call() {
        GhostHandsClient client = api.client();
        CreatedJob job = client.createJob(new CreateJobOptions()
                .jobType("scrape")
                .targetUrl(url)
                .taskDescription("Test job from gh submit-test-job")
                .targetWorkerId(workerId)
                .tags(List.of("test")));
        Out out = new Out(spec.commandLine().getOut());
        String shortId = Out.shortId(job.id());
        if (api.json) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", job.id());
            answer.put("status", job.status());
            answer.put("target_worker_id", workerId);
            out.json(answer);
            return 0;
        }
        out.line("Created job " + job.id() + (workerId == null ? " (any worker)" : " for worker " + workerId));
        out.line("Follow it:");
        out.line("  ./gh job status " + shortId);
        out.line("  ./gh job logs --follow " + shortId);
        out.line("  ./gh job cancel " + shortId);
        return 0;
    }
}
