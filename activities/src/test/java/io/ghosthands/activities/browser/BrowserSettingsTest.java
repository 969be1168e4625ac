package io.ghosthands.activities.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
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
      String version = lanes.submit(browser -> browser.version()).get();
      assertThat(version).isNotBlank();
    }
  }
}
