package io.ghosthands.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.ghosthands.cli.job.CliFailure;
import io.ghosthands.cli.job.JobCommand;
import io.ghosthands.cli.job.SubmitTestJobCommand;
import io.ghosthands.client.GhostHandsException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code gh}: the one entry point of GhostHands. */
@Command(
        name = "gh",
        mixinStandardHelpOptions = true,
        versionProvider = GhCommand.Version.class,
        description = "GhostHands: browser-automation jobs (job applications first) run as Temporal workflows.",
        subcommands = {
            DevCommand.class,
            ApiCommand.class,
            WorkerCommand.class,
            TemporalDevCommand.class,
            JobCommand.class,
            SubmitTestJobCommand.class,
            AutoComplete.GenerateCompletion.class,
            CommandLine.HelpCommand.class
        })
public class GhCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        quietBootstrapLogging();
        System.exit(execute(args));
    }

    /**
     * Until Spring configures logging, Logback logs everything at DEBUG: keep what runs before it
     * (finding or starting PostgreSQL and Temporal) to our own INFO lines and others' warnings.
     */
    static void quietBootstrapLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
            context.getLogger("io.ghosthands").setLevel(Level.INFO);
        }
    }

    /** Runs a command line and returns its exit code (0 ok, 1 failure, 2 usage). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** Runs a command line writing to the given streams (for embedding and tests). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine commandLine() {
        return new CommandLine(new GhCommand()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliFailure) {
                cmd.getErr().println("gh: " + e.getMessage());
                return ((CliFailure) e).exitCode();
            }
            if (e instanceof GhostHandsException) {
                GhostHandsException g = (GhostHandsException) e;
                String hint = g.status() == 401 ? " (set GH_SERVICE_KEY or --key)" : "";
                cmd.getErr().println("gh: " + (g.status() == 404 ? "Job not found" : g.getMessage()) + hint);
                return 1;
            }
            cmd.getErr().println("gh: " + Stack.describe(e));
            return 1;
        });
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = GhCommand.class.getPackage().getImplementationVersion();
            return new String[] {"GhostHands " + (v == null ? "dev" : v)};
        }
    }
}
