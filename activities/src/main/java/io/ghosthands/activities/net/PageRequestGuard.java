package io.ghosthands.activities.net;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Holds a job's browser context to the {@link OutboundUrlPolicy}: every request its pages make
 * (navigations, frames, scripts, images, fetches, pop-ups, WebSockets) is checked — its URL and the
 * addresses its host resolves to — and a refused one is aborted before Chromium connects.
 *
 * <p>Redirects: Playwright hands a route only the first request of a redirect chain and lets
 * Chromium follow the hops itself, so a hop cannot be held back. Each hop is still judged when it
 * starts, and a refused one is recorded like a refused request: the job then fails
 * ({@code network_error}, {@code reason: blocked_address}) and nothing of that page is kept. The
 * hop itself may already have reached its address (a blind request); see README "Security".
 *
 * <p>DNS: the worker resolves a name to judge it and Chromium resolves it again to connect; an
 * answer that changes in between (rebinding) is the other residual risk. Verdicts on names are
 * kept for {@link #CACHE_SECONDS}, so a page's many requests to one host cost one lookup.
 */
public final class PageRequestGuard {

    static final long CACHE_SECONDS = 30;
    private static final int KEPT = 20;

    private final OutboundUrlPolicy policy;
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

    public PageRequestGuard(OutboundUrlPolicy policy) {
        this.policy = policy;
    }

    public OutboundUrlPolicy policy() {
        return policy;
    }

    /** A request refused, and why. */
    /**
     * A request refused, and why.
     *
     * @param redirect it was a hop of a redirect chain (judged as it started, not held back)
     * @param navigation it was the page's own navigation
     */
    public record Blocked(String url, OutboundUrlPolicy.Refusal refusal, boolean redirect, boolean navigation) {}

    /** What one context's guard saw: the requests it refused, first first. */
    public static final class Watch {
        private final List<Blocked> blocked = new ArrayList<>();
        private volatile boolean navigationBlocked;
        private int reported;

        synchronized void add(Blocked b) {
            if (blocked.size() < KEPT) {
                blocked.add(b);
            }
            if (b.navigation() || b.redirect()) {
                navigationBlocked = true;
            }
        }

        public synchronized List<Blocked> blocked() {
            return List.copyOf(blocked);
        }

        /** The refusals not handed out by an earlier call (one report per refusal). */
        public synchronized List<Blocked> unreported() {
            List<Blocked> fresh = List.copyOf(blocked.subList(reported, blocked.size()));
            reported = blocked.size();
            return fresh;
        }

        /**
         * Whether a page's own navigation, or any redirect hop, was refused: the job cannot go on from
         * such a page and must not keep anything of it. (A refused frame or resource is only left out.)
         */
        public boolean navigationBlocked() {
            return navigationBlocked;
        }

        /** The refusal that stopped the page: the first refused navigation or redirect. */
        public synchronized Optional<Blocked> first() {
            return blocked.stream()
                    .filter(b -> b.redirect() || b.navigation())
                    .findFirst()
                    .or(() -> blocked.stream().findFirst());
        }
    }

    /** Starts guarding {@code context}; call before its first navigation. */
    public Watch install(BrowserContext context) {
        Watch watch = new Watch();
        context.route("**/*", route -> {
            Request request = route.request();
            Optional<OutboundUrlPolicy.Refusal> refusal = judge(request.url());
            if (refusal.isPresent()) {
                watch.add(new Blocked(request.url(), refusal.get(), false, mainFrameNavigation(request)));
                route.abort("blockedbyclient");
            } else {
                route.fallback();
            }
        });
        context.routeWebSocket("**/*", ws -> {
            Optional<OutboundUrlPolicy.Refusal> refusal = judge(ws.url());
            if (refusal.isPresent()) {
                watch.add(new Blocked(ws.url(), refusal.get(), false, false));
                ws.close();
            } else {
                ws.connectToServer();
            }
        });
        // the hops of a redirect chain never reach the route (see the class comment): judged as they start
        context.onRequest(request -> {
            if (request.redirectedFrom() != null) {
                judge(request.url())
                        .ifPresent(r -> watch.add(new Blocked(request.url(), r, true, mainFrameNavigation(request))));
            }
        });
        return watch;
    }

    private static boolean mainFrameNavigation(Request request) {
        if (!request.isNavigationRequest()) {
            return false;
        }
        try {
            return request.frame().parentFrame() == null;
        } catch (RuntimeException e) {
            return true; // no frame to tell by: treat it as the page's own
        }
    }

    /** The policy's verdict on a URL a page asks for; URLs that go nowhere (data:, blob:) pass. */
    Optional<OutboundUrlPolicy.Refusal> judge(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:") || lower.startsWith("blob:") || lower.startsWith("about:")) {
            return Optional.empty();
        }
        String checked = lower.startsWith("ws://")
                ? "http://" + url.substring(5)
                : lower.startsWith("wss://") ? "https://" + url.substring(6) : url;
        String key;
        try {
            OutboundUrlPolicy.Target target = OutboundUrlPolicy.parse(checked);
            key = target.host() + ":" + target.port() + ":"
                    + target.uri().getScheme().toLowerCase(Locale.ROOT);
        } catch (OutboundUrlPolicy.Refused e) {
            return Optional.of(e.refusal());
        }
        long now = System.nanoTime();
        Verdict cached = verdicts.get(key);
        if (cached != null && cached.until - now > 0) {
            return cached.refusal;
        }
        Optional<OutboundUrlPolicy.Refusal> refusal = policy.check(checked);
        if (verdicts.size() > 1000) {
            verdicts.clear();
        }
        verdicts.put(key, new Verdict(refusal, now + TimeUnit.SECONDS.toNanos(CACHE_SECONDS)));
        return refusal;
    }

    private record Verdict(Optional<OutboundUrlPolicy.Refusal> refusal, long until) {}
}
