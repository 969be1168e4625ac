package io.ghosthands.cli;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.worker.WorkerRuntime;
import io.ghosthands.app.worker.WorkerSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gh worker}: one worker process. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description =
                "Runs a worker: Chromium plus Temporal pollers. With --worker-id=NAME it serves the jobs targeted at NAME (queue gh-worker-NAME) and the shared pool; without it, an automatic id and the shared pool only. Uses TEMPORAL_ADDRESS and the database as 'gh dev' does. Ctrl-C/SIGTERM drains: no new jobs, running ones get GH_DRAIN_TIMEOUT seconds (30) to finish; a second signal stops them at once (they are retried elsewhere).")
class WorkerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--worker-id",
            paramLabel = "NAME",
            description =
                    "Serve jobs targeted at NAME as well as the shared pool (env GH_WORKER_ID). 1-100 of [A-Za-z0-9._-].")
    String workerId;

    @Option(
            names = "--concurrency",
            paramLabel = "N",
            description = "Jobs at once, each in its own browser context (env GH_WORKER_CONCURRENCY, default 2).")
    Integer concurrency;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "Status port (env GH_WORKER_PORT, default 3101; 0 = any free).")
    Integer port;

    @Override
    public Integer call() throws Exception {
        Stack stack = new Stack(System.getenv());
        String id = workerId != null ? workerId : stack.env("GH_WORKER_ID", null);
        if (id != null) {
            if (id.isEmpty()) {
                throw new ParameterException(
                        spec.commandLine(), "--worker-id must not be empty (omit it for an automatic id)");
            }
            try {
                WorkerSettings.idFor(id); // validates length and characters before anything starts
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        Map<String, Object> props = new LinkedHashMap<>();
        if (id != null) {
            props.put("gh.worker.id", id);
        }
        if (concurrency != null) {
            props.put("gh.worker.concurrency", concurrency);
        }
        if (port != null) {
            props.put("gh.worker.port", port);
        }
        StringBuilder report = new StringBuilder();
        ConfigurableApplicationContext app = stack.start(GhostHands.Roles.WORKER, false, props, report);
        WorkerRuntime worker = app.getBean(WorkerRuntime.class);
        System.out.printf(
                "GhostHands worker %s polling %s, status http://localhost:%d/worker/status%n%s",
                worker.workerId(), worker.jobQueues(), worker.statusPort(), report);
        System.out.flush();
        return stack.awaitShutdown(worker);
    }
}
