package io.ghosthands.cli.job;

import io.ghosthands.client.GhostHandsClient;
import io.ghosthands.client.GhostHandsException;
import io.ghosthands.client.Models.RetryResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "retry",
        aliases = "r",
        mixinStandardHelpOptions = true,
        description = "Run a failed, cancelled or expired job again (same id, new attempt).")
class JobRetryCommand implements Callable<Integer> {

    @Mixin
    ApiOptions api;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "Job id or a unique prefix (4+ characters).")
    String id;

    @Override
    public Integer call() {
        GhostHandsClient client = api.client();
        String jobId = JobIds.resolve(client, id);
        Out out = new Out(spec.commandLine().getOut());
        try {
            RetryResult r = client.retryJob(jobId);
            if (api.json) {
                out.json(r);
            } else {
                out.line("Retrying " + Out.shortId(jobId) + ": attempt " + (r.retryCount() + 1) + ", " + r.status());
            }
            return 0;
        } catch (GhostHandsException.JobNotRetryableException e) {
            throw new CliFailure(
                    1,
                    "Job " + Out.shortId(jobId) + " is " + e.currentStatus()
                            + "; only failed, cancelled or expired jobs can be retried");
        }
    }
}
