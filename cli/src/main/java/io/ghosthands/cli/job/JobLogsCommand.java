package io.ghosthands.cli.job;

import io.ghosthands.client.GhostHandsClient;
import io.ghosthands.client.Models.EventPage;
import io.ghosthands.client.Models.JobEvent;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "logs",
        aliases = "l",
        mixinStandardHelpOptions = true,
        description = "A job's event log in time order; --follow streams new events until the job ends.")
class JobLogsCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Job id or a unique prefix (4+ characters).")
    String id;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new events until the job has ended.")
    boolean follow;

    @Option(names = "--poll-ms", defaultValue = "500", hidden = true)
    long pollMs;

    @Override
    public Integer call() throws InterruptedException {
        GhostHandsClient client = api.client();
        String jobId = JobIds.resolve(client, id);
        Out out = new Out(spec.commandLine().getOut());
        int seen = 0;
        while (true) {
            boolean ended = client.getJob(jobId).isTerminal(); // read before the events: nothing is missed
            EventPage page;
            do {
                page = client.getJobEvents(jobId, 200, seen);
                for (JobEvent e : page.events()) {
                    print(out, e);
                }
                seen += page.events().size();
            } while (page.events().size() == 200);
            if (!follow || ended) {
                return 0;
            }
            Thread.sleep(pollMs);
        }
    }

    private void print(Out out, JobEvent e) {
        if (api.json) {
            try {
                out.line(Out.JSON_LINES.writeValueAsString(e));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            return;
        }
        String transition =
                e.toStatus() == null ? "" : (e.fromStatus() == null ? "" : e.fromStatus() + " → ") + e.toStatus();
        out.line(String.format(
                "%s  %-16s %-20s %s  [%s]",
                e.createdAt(), e.eventType(), transition, Out.orDash(e.message()), e.actor()));
    }
}
