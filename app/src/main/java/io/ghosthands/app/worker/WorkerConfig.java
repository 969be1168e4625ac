package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.BrowserSettings;
import io.ghosthands.activities.browser.TraceMode;
import io.ghosthands.activities.engine.resumefile.ResumeStorage;
import io.ghosthands.activities.engine.resumefile.S3ResumeStore;
import io.ghosthands.activities.engine.resumefile.SupabaseResumeStore;
import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.app.config.Ec2Properties;
import io.ghosthands.app.config.GhProperties;
import io.ghosthands.workflows.JobWorkflowImpl;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.env.Environment;

/** Runs a {@link WorkerRuntime} in processes started with the worker role. */
@Configuration
@ConditionalOnProperty(prefix = "gh.worker", name = "enabled", havingValue = "true", matchIfMissing = true)
public class WorkerConfig {

    // the worker writes to the schema as soon as it starts: migrations first
    @Bean(destroyMethod = "close")
    @DependsOn("flywayInitializer")
    WorkerRuntime workerRuntime(
            GhProperties properties,
            Ec2Properties ec2,
            WorkflowClient client,
            DataSource dataSource,
            Environment env,
            OutboundUrlPolicy outbound) {
        GhProperties.Worker worker = properties.getWorker();
        String given = worker.getId();
        WorkerSettings settings = new WorkerSettings(
                WorkerSettings.idFor(given),
                given != null && !given.isEmpty(),
                worker.getConcurrency(),
                worker.getPort(),
                BrowserSettings.resolve(
                                properties.getBrowser().getChromiumPath(),
                                properties.getBrowser().isHeadless())
                        .withExtraArgs(splitArgs(properties.getBrowser().getExtraArgs()))
                        .withSpareContext(properties.getBrowser().isSpareContext()),
                () -> publicUrl(properties, env),
                properties.getServiceKey(),
                new WorkerSettings.Jobs(
                        properties.getHitl().getTimeoutSeconds(),
                        properties.getCallbacks().getSecret(),
                        properties.getCallbacks().getMaxAge(),
                        properties.getCallbacks().getMaxInterval(),
                        JobWorkflowImpl.Settings.DEFAULT.sessionScheduleToStart(),
                        TraceMode.parse(properties.getBrowser().getTrace()),
                        resumeStorage(properties.getWorker()),
                        properties.getCallbacks().getKeyHosts()),
                worker.getBind(),
                outbound);
        if (worker.getDrainTimeoutSeconds() < 0) {
            throw new IllegalArgumentException(
                    "GH_DRAIN_TIMEOUT must be 0 or more seconds, got " + worker.getDrainTimeoutSeconds());
        }
        return WorkerRuntime.start(
                settings,
                client,
                dataSource,
                Duration.ofSeconds(worker.getDrainTimeoutSeconds()),
                WorkerHost.of(ec2.getInstanceId(), ec2.getIp()));
    }

    /** Where résumé storage paths resolve: {@code gh.worker.resume-storage.*} and {@code GH_RESUME_DIR}. */
    static ResumeStorage resumeStorage(GhProperties.Worker worker) {
        GhProperties.S3 s3 = worker.getResumeStorage().getS3();
        GhProperties.Supabase supabase = worker.getResumeStorage().getSupabase();
        return new ResumeStorage(
                new S3ResumeStore.Config(
                        s3.getBucket(), s3.getEndpoint(), s3.getRegion(), s3.getAccessKeyId(), s3.getSecretAccessKey()),
                new SupabaseResumeStore.Config(supabase.getUrl(), supabase.getServiceRoleKey(), supabase.getBucket()),
                worker.getResumeDir());
    }

    /** Flags split where a new {@code --flag} starts, so a value may hold spaces. */
    static List<String> splitArgs(String args) {
        return args == null || args.isBlank() ? List.of() : List.of(args.strip().split("\\s+(?=--)"));
    }

    /** {@code GH_PUBLIC_URL}, else the local API port. */
    public static String publicUrl(GhProperties properties, Environment env) {
        if (!properties.getPublicUrl().isBlank()) {
            return properties.getPublicUrl();
        }
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        return "http://localhost:" + port;
    }
}
