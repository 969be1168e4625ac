package io.ghosthands.activities.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's browsers. Playwright objects must be used from the thread that created them, so each
 * lane is one thread owning one Playwright and one Chromium; a job's browser work is submitted to a
 * lane and runs there in the job's own {@code BrowserContext}. Lanes = the worker's concurrency.
 * A lane whose Chromium died is relaunched on its next use.
 */
public class BrowserLanes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrowserLanes.class);

    private final List<ChromiumLane> lanes = new ArrayList<>();
    // the worker's private folder: each lane's driver and Chromium write their temp files under it
    private final WorkerScratch scratch;

    public BrowserLanes(BrowserSettings settings, int size) {
        this(settings, size, null);
    }

    /**
     * @param scratch the worker's private temp folder: lane {@code i}'s Chromium writes its running
     *     traces (their actions, network logs and resources), downloads and temp files to
     *     {@code scratch.lane(i)}; null for the system temp folder
     */
    public BrowserLanes(BrowserSettings settings, int size, WorkerScratch scratch) {
        this.scratch = scratch;
        if (size < 1) {
            throw new IllegalArgumentException("need at least one browser lane, got " + size);
        }
        for (int i = 0; i < size; i++) {
            lanes.add(new ChromiumLane(i, settings, scratch));
        }
    }

    /**
     * Starts every lane's Chromium now rather than on the first job, so a missing browser is reported
     * at start-up and the first job does not pay the launch.
     */
    public void warmUp() {
        List<Future<Browser>> started = new ArrayList<>();
        for (ChromiumLane lane : lanes) {
            started.add(lane.executor.submit(lane::browser));
        }
        // (lanes start their drivers one at a time, so each knows its own process)
        for (Future<Browser> f : started) {
            await(f);
        }
        for (ChromiumLane lane : lanes) {
            lane.refillSpare();
        }
    }

    /** The width and height of every job's page. */
    public static final int VIEWPORT_WIDTH = 1280;

    public static final int VIEWPORT_HEIGHT = 800;

    /**
     * A new context and its page, with the page's DevTools target id (the live view attaches to it;
     * null if it could not be read), all made ahead of the job when the lane is idle.
     */
    public record Fresh(BrowserContext context, Page page, String targetId) {}

    /**
     * A fresh context and page for a job on lane {@code index}; call it on that lane's thread with the
     * browser the lane handed to the work. Each lane keeps one such pair ready, made while the lane had
     * nothing else to do (at start-up and after each job's context closed), because most of a new
     * context's cost is Chromium starting the page's renderer process; a job that finds none ready
     * opens one itself. A spare is never shared: taken once, and made in a context of its own.
     */
    public Fresh freshContext(int index, Browser browser) {
        ChromiumLane lane = lanes.get(index);
        Fresh spare = lane.spare;
        lane.spare = null;
        if (spare != null
                && lane.spareOf == browser
                && browser.isConnected()
                && !spare.page().isClosed()) {
            return spare;
        }
        if (spare != null) {
            closeQuietly(spare.context());
        }
        return open(browser);
    }

    /**
     * Makes lane {@code index} a spare context for its next job, after whatever work is queued there;
     * does nothing when it has one or its browser is gone (a relaunch waits for the next job).
     */
    public void refillSpare(int index) {
        lanes.get(index).refillSpare();
    }

    static Fresh open(Browser browser) {
        BrowserContext context =
                browser.newContext(new Browser.NewContextOptions().setViewportSize(VIEWPORT_WIDTH, VIEWPORT_HEIGHT));
        try {
            Page page = context.newPage();
            return new Fresh(context, page, targetId(context, page));
        } catch (RuntimeException e) {
            closeQuietly(context);
            throw e;
        }
    }

    /** The page's DevTools target id, for the live view; null (no live view) if it cannot be read. */
    private static String targetId(BrowserContext context, Page page) {
        try {
            CDPSession cdp = context.newCDPSession(page);
            try {
                return cdp.send("Target.getTargetInfo")
                        .getAsJsonObject("targetInfo")
                        .get("targetId")
                        .getAsString();
            } finally {
                cdp.detach();
            }
        } catch (RuntimeException e) {
            log.debug("page target id not read (no live view for this job): {}", e.getMessage());
            return null;
        }
    }

    private static void closeQuietly(BrowserContext context) {
        try {
            context.close();
        } catch (RuntimeException e) {
            log.debug("spare context close: {}", e.getMessage());
        }
    }

    /** How long aborted work may take to notice its browser was killed before its driver is killed too. */
    static final long ABORT_GRACE_MS = 1500;

    private static final ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("browser-lane-watchdog"));

    /** Work submitted to a lane: its result, and a way to stop it at once. */
    public static final class LaneTask<T> {
        private final Future<T> future;
        private final ChromiumLane lane;
        private final AtomicBoolean running;
        private final AtomicBoolean aborted;

        private LaneTask(Future<T> future, ChromiumLane lane, AtomicBoolean running, AtomicBoolean aborted) {
            this.future = future;
            this.lane = lane;
            this.running = running;
            this.aborted = aborted;
        }

        public Future<T> future() {
            return future;
        }

        /**
         * Stops the work now. Playwright calls cannot be interrupted from another thread, so if the work
         * is running, the lane's Chromium is killed: the blocked call fails at once, the job's context is
         * gone with it, and the lane starts a fresh Chromium for its next job. Work still waiting in the
         * lane's queue is simply dropped.
         */
        public void abort() {
            // flag first, then look: the work sets running before it checks the flag, so either it sees
            // the flag and never starts, or this sees it running and kills its browser
            aborted.set(true);
            future.cancel(false);
            if (running.get()) {
                lane.killBrowser();
                // a call caught while Chromium was creating a page may never hear of the browser's death;
                // then the driver goes too, which fails every call still waiting on it
                WATCHDOG.schedule(
                        () -> {
                            if (running.get()) {
                                lane.killDriver();
                            }
                        },
                        ABORT_GRACE_MS,
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    private static final ThreadLocal<AtomicBoolean> CURRENT_ABORT = new ThreadLocal<>();

    /**
     * Whether the lane work running on this thread was stopped ({@link LaneTask#abort}): work about to
     * do something that cannot be taken back (a final submit) asks first.
     */
    public static boolean currentWorkAborted() {
        AtomicBoolean aborted = CURRENT_ABORT.get();
        return aborted != null && aborted.get();
    }

    /** Runs {@code work} with a live browser on the least busy lane. */
    public <T> LaneTask<T> submit(Function<Browser, T> work) {
        return submitTo(leastBusy(i -> 0), work);
    }

    /**
     * The lane with the least work in flight plus {@code extraLoad} (e.g. the job sessions it holds),
     * lowest index on ties.
     */
    public int leastBusy(IntUnaryOperator extraLoad) {
        int best = 0;
        int bestLoad = Integer.MAX_VALUE;
        for (ChromiumLane candidate : lanes) {
            int load = candidate.inFlight.get() + extraLoad.applyAsInt(candidate.index);
            if (load < bestLoad) {
                best = candidate.index;
                bestLoad = load;
            }
        }
        return best;
    }

    /**
     * Runs {@code work} on lane {@code index}: a job's session lives in one lane's browser, and every
     * Playwright call on it must run on that lane's thread.
     */
    public <T> LaneTask<T> submitTo(int index, Function<Browser, T> work) {
        ChromiumLane chosen = lanes.get(index);
        chosen.inFlight.incrementAndGet();
        AtomicBoolean running = new AtomicBoolean();
        AtomicBoolean aborted = new AtomicBoolean();
        Future<T> future = chosen.executor.submit(() -> {
            running.set(true);
            CURRENT_ABORT.set(aborted);
            try {
                if (aborted.get()) {
                    throw new CancellationException("aborted before it started");
                }
                return work.apply(chosen.browser());
            } finally {
                CURRENT_ABORT.remove();
                running.set(false);
                chosen.inFlight.decrementAndGet();
            }
        });
        return new LaneTask<>(future, chosen, running, aborted);
    }

    /**
     * Runs {@code work} on lane {@code index}'s thread without starting a browser for it (closing a
     * context of a browser that may be gone must not launch a new one).
     */
    public Future<?> onLaneThread(int index, Runnable work) {
        return lanes.get(index).executor.submit(work);
    }

    public int size() {
        return lanes.size();
    }

    /**
     * Deletes what a job's trace (named {@code traceName}) left in lane {@code index}'s traces folder:
     * its trace and network files, and, when {@code resourcesToo} (no other job on the lane is being
     * traced), the resources folder its pages' bodies went to (shared by the lane's traces, named by
     * content hash). A no-op without a private folder. Call it after the job's context closed.
     */
    public void removeTraceFiles(int index, String traceName, boolean resourcesToo) {
        if (scratch == null) {
            return;
        }
        Path laneDir = scratch.lane(index);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(laneDir, traceName + "*")) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            log.debug("browser lane {}: trace files of {} not removed: {}", index, traceName, e.toString());
        }
        if (resourcesToo) {
            WorkerScratch.deleteTree(laneDir.resolve("resources"), false);
        }
    }

    /**
     * Kills every lane's Chromium at once, from any thread: a worker stopping hard must not leave a
     * page working on a job that its workflow is about to retry elsewhere. Running steps fail at once
     * ({@code browser_crashed}); {@link #close()} then releases the drivers.
     */
    public void killBrowsers() {
        for (ChromiumLane lane : lanes) {
            lane.killBrowser();
        }
    }

    @Override
    public void close() {
        for (ChromiumLane lane : lanes) {
            lane.closing = true;
        }
        for (ChromiumLane lane : lanes) {
            try {
                lane.executor.submit(lane::shutdown).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("browser lane {} did not close cleanly: {}", lane.index, e.toString());
            }
            lane.executor.shutdownNow();
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the browser", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The loopback port of lane {@code index}'s Chromium DevTools endpoint, where the live view
     * attaches to one job's page (0: the lane has no browser yet).
     */
    public int devtoolsPort(int index) {
        return lanes.get(index).devtoolsPort;
    }
}
