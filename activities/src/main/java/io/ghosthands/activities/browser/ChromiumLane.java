package io.ghosthands.activities.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane of {@link BrowserLanes}: a thread owning one Playwright driver and the Chromium under it
 * (launched on first use, relaunched when it died), and the spare context it keeps for its next job.
 */
final class ChromiumLane {

    private static final Logger log = LoggerFactory.getLogger(ChromiumLane.class);

    private static final Object DRIVER_START = new Object();

    final int index;
    final ExecutorService executor;
    final AtomicInteger inFlight = new AtomicInteger();
    private final BrowserSettings settings;
    // the worker's private folder: the lane's Chromium writes its temp files under it; null: none
    private final WorkerScratch scratch;
    // touched only on the lane's own thread
    private Playwright playwright;
    private Browser browser;
    BrowserLanes.Fresh spare;
    Browser spareOf;
    volatile boolean closing;
    // the Playwright driver process this lane started; Chromium runs beneath it
    private volatile ProcessHandle driver;
    // the loopback port of this lane's Chromium DevTools endpoint (live view), 0 while none
    volatile int devtoolsPort;

    ChromiumLane(int index, BrowserSettings settings, WorkerScratch scratch) {
        this.index = index;
        this.settings = settings;
        this.scratch = scratch;
        this.executor = Executors.newSingleThreadExecutor(DaemonThreads.named("browser-lane-" + index));
    }

    /** The lane's live browser, launched (with a new driver if need be) when there is none; on the lane's thread. */
    Browser browser() {
        if (browser != null && connected(browser)) {
            return browser;
        }
        ProcessHandle d = driver;
        if (browser != null || (playwright != null && d != null && !d.isAlive())) {
            log.warn("browser lane {}: Chromium disconnected, relaunching", index);
            shutdown();
        }
        if (playwright == null) {
            startDriver();
        }
        try {
            int port = freeLoopbackPort();
            browser = launch(port);
            devtoolsPort = port;
        } catch (BrowserUnavailableException e) {
            shutdown(); // a driver that lost its browser may be unusable: start clean next time
            throw e;
        }
        return browser;
    }

    private void startDriver() {
        synchronized (DRIVER_START) {
            Set<Long> before = childPids();
            playwright = createPlaywright();
            // the driver is the node process Playwright just started; other children may have come
            // and gone meanwhile (a test's helper process, a reaped browser), so prefer the one that
            // looks like it
            List<ProcessHandle> started = ProcessHandle.current()
                    .children()
                    .filter(p -> !before.contains(p.pid()))
                    .toList();
            driver = started.stream()
                    .filter(p -> p.info()
                            .commandLine()
                            .map(c -> c.contains("run-driver") || c.contains("node"))
                            .orElse(false))
                    .findFirst()
                    .orElse(started.isEmpty() ? null : started.get(0));
        }
    }

    void refillSpare() {
        if (closing || !settings.spareContext()) {
            return;
        }
        try {
            executor.execute(this::makeSpare);
        } catch (RejectedExecutionException e) {
            // the lane is shutting down
        }
    }

    private void makeSpare() {
        Browser b = browser;
        if (closing || spare != null || b == null || !b.isConnected()) {
            return;
        }
        try {
            spare = BrowserLanes.open(b);
            spareOf = b;
        } catch (RuntimeException e) {
            log.debug("browser lane {}: no spare context: {}", index, e.getMessage());
        }
    }

    /** Kills this lane's Chromium (every process under the driver); safe from any thread. */
    void killBrowser() {
        ProcessHandle d = driver;
        if (d == null) {
            return;
        }
        d.descendants().forEach(ProcessHandle::destroyForcibly);
        log.info("browser lane {}: Chromium killed to stop its work at once", index);
    }

    private static boolean connected(Browser b) {
        try {
            return b.isConnected();
        } catch (PlaywrightException e) {
            return false; // its driver is gone
        }
    }

    /** Kills this lane's driver and everything under it; the lane starts a new one for its next work. */
    void killDriver() {
        ProcessHandle d = driver;
        if (d == null) {
            return;
        }
        d.descendants().forEach(ProcessHandle::destroyForcibly);
        d.destroyForcibly();
        log.warn("browser lane {}: work did not stop with its browser; its Playwright driver was killed too", index);
    }

    void shutdown() {
        try {
            if (playwright != null) {
                playwright.close(); // closes its browsers too
            }
        } catch (PlaywrightException e) {
            log.debug("browser lane {}: close failed: {}", index, e.getMessage());
        } finally {
            playwright = null;
            browser = null;
            driver = null;
            devtoolsPort = 0;
            spare = null;
            spareOf = null;
        }
    }

    private static Set<Long> childPids() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private Playwright createPlaywright() {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (settings.executable().isPresent()) {
            // we bring our own Chromium: never let Playwright try to download one
            env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        }
        try {
            return Playwright.create(new Playwright.CreateOptions().setEnv(env));
        } catch (RuntimeException e) {
            throw new BrowserUnavailableException(noBrowserMessage(e), e);
        }
    }

    /** A loopback port free right now, for the next Chromium's DevTools endpoint. */
    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Browser launch(int port) {
        // Playwright drives Chromium over a pipe; the DevTools port (loopback only, Chromium's default
        // address) is for the live view, which attaches to the one page of a paused job. Pages cannot
        // reach it: Chromium refuses DevTools WebSocket connections that carry a web Origin.
        List<String> args = new ArrayList<>(settings.args());
        args.add("--remote-debugging-port=" + port);
        BrowserType.LaunchOptions options =
                new BrowserType.LaunchOptions().setHeadless(settings.headless()).setArgs(args);
        if (scratch != null) {
            // per browser, not per driver: Playwright for Java starts every driver of a JVM with the
            // environment of its first one, so a TMPDIR given to the driver would outlive its worker
            Path laneDir = scratch.lane(index);
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("TMPDIR", laneDir.toString());
            options.setTracesDir(laneDir)
                    .setDownloadsPath(laneDir.resolve("downloads"))
                    .setEnv(env);
        }
        settings.executable().ifPresent(options::setExecutablePath);
        try {
            return playwright.chromium().launch(options);
        } catch (PlaywrightException e) {
            throw new BrowserUnavailableException(noBrowserMessage(e), e);
        }
    }

    private String noBrowserMessage(RuntimeException e) {
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return settings.executable().isPresent()
                ? "Chromium at " + settings.executable().get() + " could not be started: " + first
                : "No Chromium found and Playwright could not provide its own (" + first + "). Install one"
                        + " (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium) or"
                        + " set GH_CHROMIUM_PATH to a Chromium or Chrome binary.";
    }
}
