package io.ghosthands.app;

import io.ghosthands.app.db.DatabaseUrl;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts GhostHands' Spring application with the roles a command asked for. Used by the CLI and by
 * the tests, so both run the same wiring.
 */
public final class GhostHands {

    private GhostHands() {}

    /** Which parts run in this process. */
    public record Roles(boolean api, boolean worker) {
        public static final Roles DEV = new Roles(true, true);
        public static final Roles API = new Roles(true, false);
        public static final Roles WORKER = new Roles(false, true);
    }

    /**
     * Runs the application.
     *
     * @param roles API, worker or both
     * @param database where the data lives
     * @param overrides further properties, taking precedence over environment and application.yaml
     */
    public static ConfigurableApplicationContext start(
            Roles roles, DatabaseUrl database, Map<String, Object> overrides) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("gh.api.enabled", roles.api());
        props.put("gh.worker.enabled", roles.worker());
        props.put("spring.datasource.url", database.jdbcUrl());
        if (database.user() != null) {
            props.put("spring.datasource.username", database.user());
        }
        if (database.password() != null) {
            props.put("spring.datasource.password", database.password());
        }
        props.putAll(overrides);

        SpringApplication app = new SpringApplication(GhostHandsApplication.class);
        app.setWebApplicationType(roles.api() ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        // the caller closes the context, in order with what it started around it (Temporal, Postgres)
        app.setRegisterShutdownHook(false);
        app.addInitializers(
                ctx -> ctx.getEnvironment().getPropertySources().addFirst(new MapPropertySource("gh-launcher", props)));
        return app.run();
    }
}
