package io.ghosthands.cli.job;

import io.ghosthands.client.GhostHandsClient;
import io.ghosthands.client.Models.AutomationJob;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", aliases = "s", mixinStandardHelpOptions = true, description = "Everything about one job.")
class JobStatusCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Job id or a unique prefix (4+ characters).")
    String id;

    @Override
    public Integer call() {
        GhostHandsClient client = api.client();
        AutomationJob j = client.getJob(JobIds.resolve(client, id));
        Out out = new Out(spec.commandLine().getOut());
        if (api.json) {
            out.json(j);
            return 0;
        }
        out.line(out.bold("Job " + j.id()));
        row(out, "Status", out.status(j.status()) + (j.statusMessage() == null ? "" : "  (" + j.statusMessage() + ")"));
        row(out, "Type", j.jobType());
        row(out, "URL", j.targetUrl());
        row(out, "Task", Out.orDash(j.taskDescription()));
        row(out, "Worker", Out.orDash(j.workerId()));
        row(out, "Target", j.targetWorkerId() == null ? "any" : j.targetWorkerId());
        row(out, "Affinity", j.workerAffinity());
        row(out, "Priority", String.valueOf(j.priority()));
        row(out, "Attempt", (j.retryCount() + 1) + " (max_retries " + j.maxRetries() + ")");
        row(out, "Created", j.createdAt());
        if (j.scheduledAt() != null) {
            row(out, "Scheduled", j.scheduledAt());
        }
        row(out, "Started", Out.orDash(j.startedAt()));
        row(out, "Completed", Out.orDash(j.completedAt()));
        row(out, "Duration", Out.duration(j.startedAt(), j.completedAt()));
        row(out, "Heartbeat", Out.orDash(j.lastHeartbeat()));
        if (j.valetTaskId() != null) {
            row(out, "VALET task", j.valetTaskId());
        }
        if (j.errorCode() != null) {
            row(
                    out,
                    "Error",
                    j.errorCode() + ": " + j.errorDetails().path("message").asText(""));
            row(out, "Details", j.errorDetails().toString());
        }
        if (j.resultSummary() != null) {
            row(out, "Result", j.resultSummary());
        }
        if (j.resultData() != null && !j.resultData().isNull()) {
            row(out, "Result data", j.resultData().toString());
        }
        for (String shot : j.screenshotUrls()) {
            row(out, "Screenshot", shot);
        }
        if ("paused".equals(j.status()) && j.interactionData() != null) {
            row(out, "Waiting for", Out.orDash(j.interactionType()) + ": " + j.interactionData());
            String live = j.interactionData().path("live_url").asText("");
            if (!live.isEmpty()) {
                row(out, "Live view", live);
            }
        }
        return 0;
    }

    private static void row(Out out, String key, String value) {
        out.line(String.format("  %-12s %s", key, value));
    }
}
