package io.ghosthands.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Every {@code gh.*} key that {@code application.yaml} maps from an environment variable binds to
 * {@link GhProperties}, wherever its property class lives: set to a value unlike its default, each
 * one must come out of its getter.
 */
class GhPropertiesBindingTest {

    @Test
    void everyKeyOfApplicationYamlBinds() {
        Map<String, String> given = Map.ofEntries(
                Map.entry("gh.service-key", "sk"),
                Map.entry("gh.encryption-key", "ek"),
                Map.entry("gh.public-url", "https://gh.example"),
                Map.entry("gh.hitl.timeout-seconds", "41"),
                Map.entry("gh.callbacks.secret", "cs"),
                Map.entry("gh.callbacks.max-age", "3h"),
                Map.entry("gh.callbacks.max-interval", "7s"),
                Map.entry("gh.callbacks.key-hosts", "valet.example,other.example"),
                Map.entry("gh.network.allow-private-networks", "true"),
                Map.entry("gh.jobs.retry-backoff-seconds", "9"),
                Map.entry("gh.jobs.preferred-fallback-seconds", "61"),
                Map.entry("gh.jobs.start-deadline-seconds", "601"),
                Map.entry("gh.api.enabled", "false"),
                Map.entry("gh.api.create-writers", "3"),
                Map.entry("gh.api.max-body-bytes", "2048"),
                Map.entry("gh.api.reconcile-after-seconds", "62"),
                Map.entry("gh.api.redispatch-after-seconds", "63"),
                Map.entry("gh.worker.enabled", "false"),
                Map.entry("gh.worker.id", "adam"),
                Map.entry("gh.worker.port", "3199"),
                Map.entry("gh.worker.bind", "0.0.0.0"),
                Map.entry("gh.worker.concurrency", "5"),
                Map.entry("gh.worker.resume-dir", "/tmp/r"),
                Map.entry("gh.worker.drain-timeout-seconds", "31"),
                Map.entry("gh.worker.resume-storage.s3.bucket", "b"),
                Map.entry("gh.worker.resume-storage.s3.endpoint", "http://s3"),
                Map.entry("gh.worker.resume-storage.s3.region", "eu-west-1"),
                Map.entry("gh.worker.resume-storage.s3.access-key-id", "ak"),
                Map.entry("gh.worker.resume-storage.s3.secret-access-key", "sak"),
                Map.entry("gh.worker.resume-storage.supabase.url", "http://sb"),
                Map.entry("gh.worker.resume-storage.supabase.service-role-key", "srk"),
                Map.entry("gh.worker.resume-storage.supabase.bucket", "cv"),
                Map.entry("gh.browser.chromium-path", "/usr/bin/chromium"),
                Map.entry("gh.browser.headless", "false"),
                Map.entry("gh.browser.extra-args", "--x"),
                Map.entry("gh.browser.trace", "full"),
                Map.entry("gh.browser.spare-context", "false"));
        GhProperties p = new GhProperties();
        new Binder(new MapConfigurationPropertySource(given)).bind("gh", Bindable.ofInstance(p));

        assertThat(p.getServiceKey()).isEqualTo("sk");
        assertThat(p.getEncryptionKey()).isEqualTo("ek");
        assertThat(p.getPublicUrl()).isEqualTo("https://gh.example");
        assertThat(p.getHitl().getTimeoutSeconds()).isEqualTo(41);
        assertThat(p.getCallbacks().getSecret()).isEqualTo("cs");
        assertThat(p.getCallbacks().getMaxAge()).isEqualTo(Duration.ofHours(3));
        assertThat(p.getCallbacks().getMaxInterval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(p.getCallbacks().getKeyHosts()).isEqualTo(List.of("valet.example", "other.example"));
        assertThat(p.getNetwork().isAllowPrivateNetworks()).isTrue();
        assertThat(p.getJobs().getRetryBackoffSeconds()).isEqualTo(9);
        assertThat(p.getJobs().getPreferredFallbackSeconds()).isEqualTo(61);
        assertThat(p.getJobs().getStartDeadlineSeconds()).isEqualTo(601);
        assertThat(p.getApi().isEnabled()).isFalse();
        assertThat(p.getApi().getCreateWriters()).isEqualTo(3);
        assertThat(p.getApi().getMaxBodyBytes()).isEqualTo(2048L);
        assertThat(p.getApi().getReconcileAfterSeconds()).isEqualTo(62);
        assertThat(p.getApi().getRedispatchAfterSeconds()).isEqualTo(63);
        GhProperties.Worker w = p.getWorker();
        assertThat(w.isEnabled()).isFalse();
        assertThat(w.getId()).isEqualTo("adam");
        assertThat(w.getPort()).isEqualTo(3199);
        assertThat(w.getBind()).isEqualTo("0.0.0.0");
        assertThat(w.getConcurrency()).isEqualTo(5);
        assertThat(w.getResumeDir()).isEqualTo("/tmp/r");
        assertThat(w.getDrainTimeoutSeconds()).isEqualTo(31);
        GhProperties.S3 s3 = w.getResumeStorage().getS3();
        assertThat(List.of(
                        s3.getBucket(), s3.getEndpoint(), s3.getRegion(), s3.getAccessKeyId(), s3.getSecretAccessKey()))
                .containsExactly("b", "http://s3", "eu-west-1", "ak", "sak");
        GhProperties.Supabase supabase = w.getResumeStorage().getSupabase();
        assertThat(List.of(supabase.getUrl(), supabase.getServiceRoleKey(), supabase.getBucket()))
                .containsExactly("http://sb", "srk", "cv");
        assertThat(p.getBrowser().getChromiumPath()).isEqualTo("/usr/bin/chromium");
        assertThat(p.getBrowser().isHeadless()).isFalse();
        assertThat(p.getBrowser().getExtraArgs()).isEqualTo("--x");
        assertThat(p.getBrowser().getTrace()).isEqualTo("full");
        assertThat(p.getBrowser().isSpareContext()).isFalse();
    }
}
