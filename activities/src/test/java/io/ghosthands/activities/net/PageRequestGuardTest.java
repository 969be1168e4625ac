package io.ghosthands.activities.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The browser guard's reading of the URLs a page asks for (its Playwright wiring is tested in the app). */
class PageRequestGuardTest {

    private final AtomicInteger lookups = new AtomicInteger();
    private final PageRequestGuard guard = new PageRequestGuard(new OutboundUrlPolicy(false, List.of(8080), host -> {
        lookups.incrementAndGet();
        return OutboundUrlPolicyTest.resolve(host);
    }));

    private String kind(String url) {
        return guard.judge(url).map(OutboundUrlPolicy.Refusal::kind).orElse(null);
    }

    @Test
    void urlsThatGoNowherePassAndWebSocketsAreJudgedAsTheirHttpTwins() {
        assertThat(kind("data:text/html,<h1>x</h1>")).isNull();
        assertThat(kind("blob:https://jobs.example/1234")).isNull();
        assertThat(kind("about:blank")).isNull();
        assertThat(kind("ws://127.0.0.1:8080/socket")).isEqualTo("own_port");
        assertThat(kind("wss://rebind.example/socket")).isEqualTo("loopback");
        assertThat(kind("wss://jobs.example/socket")).isNull();
        assertThat(kind("chrome-extension://abc/page.html")).isEqualTo("scheme");
    }

    @Test
    void aHostIsLookedUpOnceForAPagesManyRequests() {
        for (int i = 0; i < 20; i++) {
            assertThat(kind("https://jobs.example/asset-" + i + ".js")).isNull();
            assertThat(kind("http://intranet.example/pixel-" + i + ".gif")).isEqualTo("private_network");
        }
        assertThat(lookups.get()).isEqualTo(2);
    }
}
