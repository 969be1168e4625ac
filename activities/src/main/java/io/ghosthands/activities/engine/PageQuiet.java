package io.ghosthands.activities.engine;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Waits for a page to go quiet: its document parsed, its DOM unchanged for a short while and no
 * recent request of its context in flight. This is what "the page has reacted" means to an engine,
 * after a navigation, an upload that a site parses, or an answer that may reveal follow-up
 * questions. Unlike Playwright's {@code networkidle} (a fixed 500 ms without any connection), it
 * returns as soon as a quiet page has been quiet for the asked time, and it ignores requests that
 * have been open for long (long polls, streams, beacons), which never end on busy pages.
 *
 * <p>Requests are counted from the Java side ({@link #track} registers a context's request events;
 * they are delivered while the engine's thread calls into Playwright, which the wait loop does);
 * DOM changes by a {@code MutationObserver} the first wait installs in each document, which takes
 * the document's load and its last resource timing as its last change until it sees one. Nothing is
 * injected before a page's own scripts run.
 */
public final class PageQuiet {

    /** A request open this long is background traffic, not the page reacting. */
    public static final int DEFAULT_HANGING_MS = 2000;

    private static final Map<BrowserContext, Tracker> TRACKERS = Collections.synchronizedMap(new WeakHashMap<>());

    // ms since the document's last relevant change; -1 while it is still being parsed. The observer
    // lives in a non-enumerable property, so the page's own scripts do not trip over it.
    private static final String SINCE_CHANGE = """
      () => {
        if (document.readyState === 'loading') return -1;
        const key = '__ghQuiet';
        let s = window[key];
        if (!s) {
          // first look at this document: it has been still since it loaded and fetched its last resource
          const nav = performance.getEntriesByType('navigation')[0];
          let t = nav ? Math.max(nav.domContentLoadedEventEnd, nav.loadEventEnd) : performance.now();
          for (const r of performance.getEntriesByType('resource')) t = Math.max(t, r.responseEnd);
          s = { t: t || performance.now() };
          Object.defineProperty(window, key, { value: s, enumerable: false });
          new MutationObserver(() => { s.t = performance.now(); }).observe(document, {
            subtree: true, childList: true, characterData: true, attributes: true,
            attributeFilter: ['hidden', 'disabled', 'aria-hidden', 'aria-invalid', 'aria-busy', 'open', 'value'] });
        }
        return performance.now() - s.t;
      }""";

    private PageQuiet() {}

    /** Starts counting the requests of {@code context}; idempotent. Call it when the context opens. */
    public static void track(BrowserContext context) {
        TRACKERS.computeIfAbsent(context, Tracker::new);
    }

    /**
     * Waits until the page has been quiet for {@code quietMs} (DOM unchanged, no request younger than
     * {@link #DEFAULT_HANGING_MS} in flight), at most {@code maxMs}. Returns whether it went quiet.
     */
    public static boolean await(Page page, int quietMs, int maxMs) {
        return await(page, quietMs, maxMs, DEFAULT_HANGING_MS);
    }

    /** As {@link #await(Page, int, int)}, counting requests open up to {@code hangingMs} as the page's work. */
    public static boolean await(Page page, int quietMs, int maxMs, int hangingMs) {
        Tracker tracker = TRACKERS.computeIfAbsent(page.context(), Tracker::new);
        long start = System.nanoTime();
        int step = Math.max(15, Math.min(50, quietMs / 3));
        while (true) {
            double sinceChange = sinceChange(page);
            long now = System.nanoTime();
            double netQuietFor = tracker.quietFor(now, hangingMs);
            if (sinceChange >= quietMs && netQuietFor >= quietMs) {
                return true;
            }
            long waited = (now - start) / 1_000_000;
            if (waited >= maxMs) {
                return false;
            }
            // sleep until the quiet period would be over if nothing changes meanwhile: the page cannot be
            // quiet sooner, and a change meanwhile shows at the next look (a page still loading: one step)
            double quietFor = Math.min(sinceChange, netQuietFor);
            long wait = quietFor < 0 ? step : Math.max(10, (long) Math.ceil(quietMs - quietFor));
            try {
                page.waitForTimeout(Math.min(wait, Math.max(10, maxMs - waited)));
            } catch (PlaywrightException e) {
                return false; // the page closed
            }
        }
    }

    /**
     * Milliseconds since a request of the page's context last began or ended, 0 while one younger than
     * {@code hangingMs} is in flight; no round trip to the browser.
     */
    public static long networkQuietMs(Page page, int hangingMs) {
        return TRACKERS.computeIfAbsent(page.context(), Tracker::new).quietFor(System.nanoTime(), hangingMs);
    }

    private static double sinceChange(Page page) {
        try {
            Object r = page.evaluate(SINCE_CHANGE);
            return r instanceof Number n ? n.doubleValue() : -1;
        } catch (PlaywrightException e) {
            return -1; // the document is being replaced
        }
    }

    /** The requests of one context: when each in-flight one started, and when the last one began or ended. */
    private static final class Tracker {
        private final Map<Request, Long> inFlight = new ConcurrentHashMap<>();
        private volatile long lastActivity = System.nanoTime();

        Tracker(BrowserContext context) {
            context.onRequest(r -> {
                inFlight.put(r, System.nanoTime());
                lastActivity = System.nanoTime();
            });
            context.onRequestFinished(this::ended);
            context.onRequestFailed(this::ended);
        }

        private void ended(Request r) {
            if (inFlight.remove(r) != null) {
                lastActivity = System.nanoTime();
            }
        }

        /** Milliseconds the network has been quiet, ignoring requests open longer than {@code hangingMs}; 0 when busy. */
        long quietFor(long now, int hangingMs) {
            long hangingNs = hangingMs * 1_000_000L;
            for (long started : inFlight.values()) {
                if (now - started < hangingNs) {
                    return 0;
                }
            }
            return (now - lastActivity) / 1_000_000;
        }
    }
}
