package io.ghosthands.app.config;

import io.grpc.inprocess.InProcessChannelBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When the embedded Temporal dev server runs in this JVM ({@code gh dev}, tests, benchmarks), the
 * API and the worker reach it in-process ({@code gh.temporal.in-process}, set by whoever started
 * it) instead of over TCP: the same server, without HTTP/2 framing, copies and a network hop for
 * every start, poll and completion. Other processes still connect to its port.
 */
@Configuration
@ConditionalOnProperty(name = "gh.temporal.in-process")
class InProcessTemporal {

    @Bean
    TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> inProcessTemporalChannel(
            @Value("${gh.temporal.in-process}") String name) {
        return builder -> {
            builder.setTarget(null);
            builder.setChannel(InProcessChannelBuilder.forName(name).build());
            return builder;
        };
    }
}
