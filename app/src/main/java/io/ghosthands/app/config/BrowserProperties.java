package io.ghosthands.app.config;

/** Chromium ({@code gh.browser.*}; see {@link GhProperties#getBrowser}). */
public class BrowserProperties {
    /** {@code GH_CHROMIUM_PATH}: the Chromium/Chrome binary. Empty: a system Chromium, else Playwright's. */
    private String chromiumPath = "";

    /**
     * {@code GH_TRACE}: the Playwright trace each job keeps as a downloadable artifact: {@code actions}
     * (default), {@code full} (with DOM snapshots; slower) or {@code off}.
     */
    private String trace = "actions";

    /** {@code GH_SPARE_CONTEXT}: each browser lane keeps a blank context ready for its next job. */
    private boolean spareContext = true;

    public boolean isSpareContext() {
        return spareContext;
    }

    public void setSpareContext(boolean spareContext) {
        this.spareContext = spareContext;
    }

    public String getTrace() {
        return trace;
    }

    public void setTrace(String trace) {
        this.trace = trace;
    }

    /** {@code GH_HEADLESS}: run Chromium without a window. */
    private boolean headless = true;

    /** {@code GH_CHROMIUM_ARGS}: extra Chromium flags, space-separated (e.g. {@code --proxy-server=…}). */
    private String extraArgs = "";

    public String getExtraArgs() {
        return extraArgs;
    }

    public void setExtraArgs(String extraArgs) {
        this.extraArgs = extraArgs;
    }

    public String getChromiumPath() {
        return chromiumPath;
    }

    public void setChromiumPath(String chromiumPath) {
        this.chromiumPath = chromiumPath;
    }

    public boolean isHeadless() {
        return headless;
    }

    public void setHeadless(boolean headless) {
        this.headless = headless;
    }
}
