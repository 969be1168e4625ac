package io.ghosthands.cli.job;

import io.ghosthands.client.ListJobsQuery;
import io.ghosthands.client.Models.AutomationJob;
import io.ghosthands.client.Models.JobPage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "list",
        aliases = "ls",
        mixinStandardHelpOptions = true,
        description =
                "Recent jobs, most relevant first: running, queued, pending, paused, then failed, completed (newest first in each).")
class JobListCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--status",
            split = ",",
            paramLabel = "STATUS",
            description = "Only these statuses (comma-separated).")
    List<String> status = new ArrayList<>();

    @Option(names = "--worker", paramLabel = "NAME", description = "Only jobs targeted at or running on this worker.")
    String worker;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            description = "Only this job type (apply, scrape, fill_form, custom).")
    String type;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "At most N jobs (1-100, default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 100) {
            throw new CliFailure(2, "--limit must be between 1 and 100");
        }
        ListJobsQuery query = new ListJobsQuery()
                .limit(limit)
                .sort("relevance")
                .worker(worker)
                .jobType(type);
        query.status.addAll(status);
        JobPage page = api.client().listJobs(query);
        Out out = new Out(spec.commandLine().getOut());
        if (api.json) {
            out.json(page);
            return 0;
        }
        if (page.jobs().isEmpty()) {
            out.line("No jobs found.");
            return 0;
        }
        String format = "%-10s %-8s  %-9s %-16s %-22s %5s  %s";
        out.line(out.bold(String.format(format, "STATUS", "ID", "TYPE", "TARGET", "WORKER", "AGE", "URL")));
        for (AutomationJob j : page.jobs()) {
            // pad outside the colour codes, so columns line up on a terminal too
            String pad = " ".repeat(Math.max(0, 10 - j.status().length()));
            out.line(out.status(j.status())
                    + pad
                    + String.format(
                            " %-8s  %-9s %-16s %-22s %5s  %s",
                            Out.shortId(j.id()),
                            Out.clip(j.jobType(), 9),
                            Out.clip(j.targetWorkerId() == null ? "any" : j.targetWorkerId(), 16),
                            Out.clip(Out.orDash(j.workerId()), 22),
                            Out.age(j.createdAt()),
                            Out.clip(j.targetUrl(), 60)));
        }
        out.line(page.jobs().size() + " of " + page.total() + " job" + (page.total() == 1 ? "" : "s") + " shown");
        return 0;
    }
}
