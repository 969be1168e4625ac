package io.ghosthands.cli;

import io.ghosthands.app.GhostHands;
import io.ghosthands.app.worker.WorkerRuntime;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;

/** {@code gh dev}: the whole stack in one process, for one machine. */
@Command(
        name = "dev",
        mixinStandardHelpOptions = true,
        description =
                "Runs everything in one process: the Temporal dev server (unless one already answers on TEMPORAL_ADDRESS), the REST API on GH_PORT and one worker (status on GH_WORKER_PORT). Database: DATABASE_URL, else the local PostgreSQL (database ghosthands, created if missing), else an embedded PostgreSQL kept in ~/.ghosthands/postgres. Ctrl-C stops it all: the worker first drains (running jobs get GH_DRAIN_TIMEOUT seconds to finish), a second Ctrl-C stops them at once.")
class DevCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Stack stack = new Stack(System.getenv());
        String key = stack.env("GH_SERVICE_KEY", null);
        boolean generated = key == null;
        if (generated) {
            key = Stack.generateKey();
        }
        StringBuilder report = new StringBuilder();
        ConfigurableApplicationContext app = stack.start(
                GhostHands.Roles.DEV,
                true,
                Map.of(
                        "gh.service-key",
                        key,
                        // a developer's pages and callback receivers are on this machine (README "Security")
                        "gh.network.allow-private-networks",
                        stack.env("GH_ALLOW_PRIVATE_NETWORKS", "true")),
                report);
        String port = app.getEnvironment().getProperty("local.server.port");
        WorkerRuntime worker = app.getBean(WorkerRuntime.class);

        System.out.println();
        System.out.println("GhostHands is running (Ctrl-C to stop)");
        System.out.printf(
                "  API        http://localhost:%s/api/v1/gh  (health: http://localhost:%s/health)%n", port, port);
        System.out.printf(
                "  Worker     %s on %s, status http://localhost:%d/worker/status%n",
                worker.workerId(), worker.jobQueues(), worker.statusPort());
        System.out.print(report);
        System.out.printf(
                "  Key        X-GH-Service-Key: %s%s%n",
                key, generated ? "  (generated; set GH_SERVICE_KEY to fix it)" : "");
        LinkCheck.warning(
                        app.getEnvironment().getProperty("gh.public-url", ""),
                        app.getEnvironment().getProperty("server.address", ""),
                        port)
                .ifPresent(warning -> System.out.printf("%n%s%n", warning));
        System.out.println();
        System.out.println("Try it:");
        System.out.printf(
                "  curl -s -X POST http://localhost:%s/api/v1/gh/jobs -H 'Content-Type: application/json' \\%n", port);
        System.out.printf("    -H 'X-GH-Service-Key: %s' \\%n", key);
        System.out.println(
                "    -d '{\"job_type\":\"scrape\",\"target_url\":\"https://example.com\",\"task_description\":\"Read the page\"}'");
        System.out.println();
        System.out.flush();
        return stack.awaitShutdown(worker);
    }
}
