package io.ghosthands.cli.job;

import io.ghosthands.client.GhostHandsClient;
import io.ghosthands.client.Models.LiveLink;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "watch",
        mixinStandardHelpOptions = true,
        description = "Print a read-only live view link of a job's browser page (signed, expires; holds no key).")
class JobWatchCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Job id or a unique prefix (4+ characters).")
    String id;

    @Override
    public Integer call() {
        GhostHandsClient client = api.client();
        LiveLink link = client.liveLink(JobIds.resolve(client, id), "watch");
        Out out = new Out(spec.commandLine().getOut());
        if (api.json) {
            out.json(link);
            return 0;
        }
        out.line(out.bold("Live view of job " + link.jobId()) + "  (read-only)");
        out.line(String.format("  %-12s %s", "Link", link.liveUrl()));
        out.line(String.format("  %-12s %s", "Expires", Out.orDash(link.expiresAt())));
        return 0;
    }
}
