package io.ghosthands.app.config;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The one {@link OutboundUrlPolicy} of this process, shared by the API's create checks and the
 * worker's browser and callbacks. GhostHands' own ports are those configured ({@code GH_PORT},
 * {@code GH_WORKER_PORT}), the status port's default 3101 (where the other workers of this host most
 * likely listen), and those actually bound (port 0 picks one; the worker adds its own).
 */
@Configuration
class OutboundConfig {

    static final int DEFAULT_WORKER_PORT = 3101;

    @Bean
    OutboundUrlPolicy outboundUrlPolicy(GhProperties properties, Environment env) {
        List<Integer> ports = new ArrayList<>();
        ports.add(env.getProperty("server.port", Integer.class, 8080));
        ports.add(properties.getWorker().getPort());
        ports.add(DEFAULT_WORKER_PORT);
        return new OutboundUrlPolicy(properties.getNetwork().isAllowPrivateNetworks(), ports);
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> ownApiPort(OutboundUrlPolicy policy) {
        return event -> policy.addOwnPort(event.getWebServer().getPort());
    }
}
