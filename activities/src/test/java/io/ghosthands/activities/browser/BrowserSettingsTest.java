package io.ghosthands.activities.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Finding Chromium, and the message when there is none. */
class BrowserSettingsTest {

    @Test
    void anExplicitPathThatIsNotAnExecutableIsAnError() {
        assertThatThrownBy(() -> BrowserSettings.resolve("/nonexistent/chromium", true))
                .isInstanceOf(BrowserUnavailableException.class)
                .hasMessageContaining("GH_CHROMIUM_PATH=/nonexistent/chromium");
    }

    @Test
    void withoutAPathTheSystemChromiumIsFound() {
        BrowserSettings settings = BrowserSettings.resolve("", true);
        assertThat(settings.executable()).as("CI installs /usr/bin/chromium").isPresent();
        assertThat(settings.describe()).contains("Chromium").contains("headless");
    }

    @Test
    void noChromiumAnywhereSaysWhatToInstallOrSet() {
        // no executable and (as in this build) no browser download allowed
        try (BrowserLanes lanes = new BrowserLanes(new BrowserSettings(Optional.empty(), true), 1)) {
            assertThatThrownBy(lanes::warmUp)
                    .isInstanceOf(BrowserUnavailableException.class)
                    .hasMessageContaining("No Chromium found")
                    .hasMessageContaining("GH_CHROMIUM_PATH");
        }
    }

    @Test
    void aLaneRunsWorkInARealBrowser() throws Exception {
        try (BrowserLanes lanes = new BrowserLanes(BrowserSettings.resolve("", true), 1)) {
            String version = lanes.submit(browser -> browser.version()).future().get();
            assertThat(version).isNotBlank();
        }
    }

    @Test
    void abortingRunningWorkKillsItsBrowserFastAndTheLaneRecovers() throws Exception {
        try (BrowserLanes lanes = new BrowserLanes(BrowserSettings.resolve("", true), 1)) {
            lanes.warmUp();
            BrowserLanes.LaneTask<String> stuck = lanes.submit(browser -> {
                Page page = browser.newContext().newPage();
                // a Playwright call that blocks the lane until the browser answers (it never will)
                page.evaluate("() => new Promise(() => {})");
                return "finished";
            });
            Thread.sleep(500);
            long t0 = System.nanoTime();
            stuck.abort();
            assertThatThrownBy(() -> stuck.future().get(2, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
            // the lane itself is free again well within two seconds and serves the next job
            String next = lanes.submit(browser ->
                            browser.newContext().newPage().evaluate("1+1").toString())
                    .future()
                    .get(10, TimeUnit.SECONDS);
            assertThat(next).isEqualTo("2");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
