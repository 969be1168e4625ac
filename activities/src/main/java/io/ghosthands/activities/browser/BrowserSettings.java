package io.ghosthands.activities.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How workers start Chromium.
 *
 * @param executable the Chromium binary ({@code GH_CHROMIUM_PATH}, else a system Chromium), or empty
 *     to let Playwright use (and on a machine with internet, download) its own build
 * @param headless {@code GH_HEADLESS}, default true
 * @param extraArgs more Chromium flags ({@code GH_CHROMIUM_ARGS}, space-separated), e.g. a proxy
 * @param spareContext {@code GH_SPARE_CONTEXT}, default true: each browser lane keeps one blank
 *     context ready for its next job, made while it is idle (a new page's renderer takes Chromium
 *     about 0.2 s to start); costs one blank page's memory per lane
 */
public record BrowserSettings(
        Optional<Path> executable, boolean headless, List<String> extraArgs, boolean spareContext) {

    public BrowserSettings(Optional<Path> executable, boolean headless, List<String> extraArgs) {
        this(executable, headless, extraArgs, true);
    }

    public BrowserSettings(Optional<Path> executable, boolean headless) {
        this(executable, headless, List.of());
    }

    /** These settings with spare contexts on or off. */
    public BrowserSettings withSpareContext(boolean on) {
        return new BrowserSettings(executable, headless, extraArgs, on);
    }

    /** The full Chromium command-line flags. */
    public List<String> args() {
        List<String> all = new ArrayList<>(CHROMIUM_ARGS);
        all.addAll(extraArgs);
        return all;
    }

    /** These settings with more flags. */
    public BrowserSettings withExtraArgs(List<String> more) {
        List<String> all = new ArrayList<>(extraArgs);
        all.addAll(more);
        return new BrowserSettings(executable, headless, List.copyOf(all), spareContext);
    }

    /**
     * Flags Chromium needs in containers and as root, and that keep it from phoning home (on a closed
     * network those connections are refused by the dozen).
     */
    public static final List<String> CHROMIUM_ARGS = List.of(
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run");

    /** Where system Chromium and Chrome usually live, in order of preference. */
    static final List<String> SYSTEM_CANDIDATES = List.of(
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/snap/bin/chromium",
            "/usr/bin/google-chrome-stable",
            "/usr/bin/google-chrome",
            "/Applications/Chromium.app/Contents/MacOS/Chromium",
            "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");

    /**
     * Resolves the binary: an explicit path must exist (a typo should not silently fall back),
     * otherwise the first system candidate that exists, otherwise none.
     */
    public static BrowserSettings resolve(String explicitPath, boolean headless) {
        if (explicitPath != null && !explicitPath.isBlank()) {
            Path path = Path.of(explicitPath);
            if (!Files.isExecutable(path)) {
                throw new BrowserUnavailableException(
                        "GH_CHROMIUM_PATH=" + explicitPath + " is not an executable file");
            }
            return new BrowserSettings(Optional.of(path), headless);
        }
        return new BrowserSettings(
                SYSTEM_CANDIDATES.stream()
                        .map(Path::of)
                        .filter(Files::isExecutable)
                        .findFirst(),
                headless);
    }

    /** One line for start-up logs. */
    public String describe() {
        return executable.map(p -> "Chromium " + p).orElse("Playwright's own Chromium")
                + (headless ? " (headless)" : " (headed)");
    }
}
