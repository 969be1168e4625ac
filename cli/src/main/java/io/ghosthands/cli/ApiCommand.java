package io.ghosthands.cli;

import io.ghosthands.app.GhostHands;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Command;

/** {@code gh api}: the REST API alone (stateless; run as many as you like behind a load balancer). */
@Command(
        name = "api",
        mixinStandardHelpOptions = true,
        description =
                "Runs the REST API on GH_PORT (default 8080) against TEMPORAL_ADDRESS and the database (DATABASE_URL, else the local or embedded PostgreSQL as for 'gh dev'). GH_SERVICE_KEY is required.")
class ApiCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Stack stack = new Stack(System.getenv());
        String key = stack.env("GH_SERVICE_KEY", null);
        if (key == null) {
            throw new IllegalArgumentException(
                    "GH_SERVICE_KEY must be set for 'gh api' (the key clients send in X-GH-Service-Key)");
        }
        StringBuilder report = new StringBuilder();
        ConfigurableApplicationContext app =
                stack.start(GhostHands.Roles.API, false, Map.of("gh.service-key", key), report);
        System.out.printf(
                "GhostHands API on http://localhost:%s/api/v1/gh%n%s",
                app.getEnvironment().getProperty("local.server.port"), report);
        System.out.flush();
        return stack.awaitShutdown(null);
    }
}
