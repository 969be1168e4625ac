package io.ghosthands.app.config;

import io.ghosthands.activities.store.MonitoringQueries;
import io.ghosthands.app.jobs.JobRepository;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The store's {@link MonitoringQueries}, which {@code /health} and {@code /monitoring} ask: in every
 * role, since the controllers are beans of a worker-only process too (it serves no HTTP, but its
 * context must start).
 */
@Configuration
class StoreConfig {

    /** What the monitoring reads from the store (workers' metadata rendered as the API's JSON). */
    @Bean
    MonitoringQueries monitoringQueries(DataSource dataSource) {
        return new MonitoringQueries(dataSource, JobRepository.JSON_READER);
    }
}
