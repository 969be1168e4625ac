package io.ghosthands.cli.job;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gh job}: manage jobs through the API from any machine that can reach it. */
@Command(
        name = "job",
        mixinStandardHelpOptions = true,
        description =
                "Manage jobs through the API (GH_API_URL, GH_SERVICE_KEY). Ids may be shortened to any unique prefix of 4+ characters.",
        subcommands = {
            JobListCommand.class,
            JobStatusCommand.class,
            JobCancelCommand.class,
            JobRetryCommand.class,
            JobLogsCommand.class,
            JobWatchCommand.class
        })
public class JobCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
