package io.ghosthands.cli.job;

import io.ghosthands.client.GhostHandsClient;
import io.ghosthands.client.GhostHandsException;
import io.ghosthands.client.ListJobsQuery;
import io.ghosthands.client.Models.AutomationJob;
import io.ghosthands.client.Models.JobPage;
import java.io.Console;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "cancel",
        aliases = "c",
        mixinStandardHelpOptions = true,
        description = "Cancel a job, every active job (--all), or the active jobs of one worker (--worker).")
class JobCancelCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "Job id or a unique prefix (4+ characters).")
    String id;

    @Option(names = "--all", description = "Cancel every pending, queued, running or paused job.")
    boolean all;

    @Option(
            names = "--worker",
            paramLabel = "NAME",
            description = "Cancel the active jobs targeted at or running on NAME.")
    String worker;

    @Option(
            names = {"-y", "--yes"},
            description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
        int modes = (id != null ? 1 : 0) + (all ? 1 : 0) + (worker != null ? 1 : 0);
        if (modes != 1) {
            throw new CliFailure(2, "give exactly one of: a job id, --all, --worker=NAME");
        }
        GhostHandsClient client = api.client();
        Out out = new Out(spec.commandLine().getOut());
        List<String> ids = new ArrayList<>();
        if (id != null) {
            ids.add(JobIds.resolve(client, id));
        } else {
            ids.addAll(activeJobs(client, worker));
            if (ids.isEmpty()) {
                if (api.json) {
                    out.json(List.of());
                } else {
                    out.line("No active jobs" + (worker == null ? "." : " for worker " + worker + "."));
                }
                return 0;
            }
            Console console = System.console();
            if (!yes && console != null) {
                String answer = console.readLine(
                        "Cancel %d active job(s)%s? [y/N] ", ids.size(), worker == null ? "" : " of worker " + worker);
                if (answer == null || !answer.strip().toLowerCase().startsWith("y")) {
                    out.line("Nothing cancelled.");
                    return 1;
                }
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        int failures = 0;
        for (String jobId : ids) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", jobId);
            try {
                var result = client.cancelJob(jobId);
                r.put("status", result.status());
                r.put("cancelled_at", result.cancelledAt());
                if (!api.json) {
                    out.line("Cancelled " + Out.shortId(jobId));
                }
            } catch (GhostHandsException.JobNotCancellableException e) {
                failures++;
                r.put("error", "job_not_cancellable");
                r.put("current_status", e.currentStatus());
                if (!api.json) {
                    out.line(Out.shortId(jobId) + ": not cancellable, it is " + e.currentStatus());
                }
            }
            results.add(r);
        }
        if (api.json) {
            out.json(id != null ? results.get(0) : results);
        }
        return id != null && failures > 0 ? 1 : 0;
    }

    private static List<String> activeJobs(GhostHandsClient client, String worker) {
        List<String> ids = new ArrayList<>();
        for (int offset = 0; ; offset += 100) {
            ListJobsQuery query = new ListJobsQuery()
                    .status("pending", "queued", "running", "paused")
                    .worker(worker)
                    .limit(100)
                    .offset(offset)
                    .sort("created_at:asc");
            JobPage page = client.listJobs(query);
            page.jobs().stream().map(AutomationJob::id).forEach(ids::add);
            if (page.jobs().size() < 100) {
                return ids;
            }
        }
    }
}
