package io.ghosthands.activities.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LiveLinksTest {

    private static final String KEY = "service-key";
    private static final String JOB = "0b8e3a52-6a4b-4f0e-9d43-3b0f2a9c5f11";
    private static final String PAUSED_AT = "2026-12-05T10:00:00Z";

    private final LiveLinks links = new LiveLinks(() -> "https://gh.example.com/", KEY);
    private final byte[] key = LiveLinks.keyFrom(KEY);

    private static String param(String link, String name) {
        for (String pair : URI.create(link).getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    @Test
    void aControlLinkIsValidForItsJobAndPauseOnlyAndHoldsNoKey() {
        String link =
                links.control(JOB, PAUSED_AT, Instant.now().plusSeconds(300)).orElseThrow();
        assertThat(link)
                .startsWith("https://gh.example.com/live/" + JOB + "?mode=control&exp=")
                .doesNotContain(KEY);
        String exp = param(link, "exp");
        String sig = param(link, "sig");
        assertThat(LiveLinks.verify(key, JOB, "control", exp, PAUSED_AT, sig)).isTrue();
        // another job, another pause, another mode, a changed expiry, another key: no
        assertThat(LiveLinks.verify(key, "1b8e3a52-6a4b-4f0e-9d43-3b0f2a9c5f11", "control", exp, PAUSED_AT, sig))
                .isFalse();
        assertThat(LiveLinks.verify(key, JOB, "control", exp, "2026-12-05T10:05:00Z", sig))
                .isFalse();
        assertThat(LiveLinks.verify(key, JOB, "watch", exp, "", sig)).isFalse();
        assertThat(LiveLinks.verify(key, JOB, "control", String.valueOf(Long.parseLong(exp) + 1), PAUSED_AT, sig))
                .isFalse();
        assertThat(LiveLinks.verify(LiveLinks.keyFrom("other"), JOB, "control", exp, PAUSED_AT, sig))
                .isFalse();
        assertThat(LiveLinks.verify(key, JOB, "control", exp, null, sig)).isFalse();
        assertThat(LiveLinks.verify(key, JOB, "control", "soon", PAUSED_AT, sig))
                .isFalse();
    }

    @Test
    void anExpiredLinkIsRefusedEvenWithItsOwnSignature() {
        String link =
                links.control(JOB, PAUSED_AT, Instant.now().minusSeconds(1)).orElseThrow();
        assertThat(LiveLinks.verify(key, JOB, "control", param(link, "exp"), PAUSED_AT, param(link, "sig")))
                .isFalse();
    }

    @Test
    void aWatchLinkLastsAnHourAndWithoutAKeyThereAreNoLinks() {
        Instant now = Instant.now();
        String link = links.watch(JOB, now).orElseThrow();
        assertThat(Long.parseLong(param(link, "exp"))).isEqualTo(now.getEpochSecond() + LiveLinks.WATCH_SECONDS);
        assertThat(LiveLinks.verify(key, JOB, "watch", param(link, "exp"), "", param(link, "sig")))
                .isTrue();
        LiveLinks keyless = new LiveLinks(() -> "http://localhost:8080", " ");
        assertThat(keyless.enabled()).isFalse();
        assertThat(keyless.control(JOB, PAUSED_AT, now.plusSeconds(60))).isEmpty();
        assertThat(keyless.watch(JOB, now)).isEmpty();
        assertThat(LiveLinks.verify(null, JOB, "watch", param(link, "exp"), "", param(link, "sig")))
                .isFalse();
    }
}
