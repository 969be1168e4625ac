package io.ghosthands.app.live;

import io.ghosthands.activities.live.TextSocket;
import io.ghosthands.activities.store.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The live page's socket, {@code /live/<job id>/ws?mode=&exp=&sig=} (protocol: docs/live-view.md).
 * Shows the job's page as a CDP screencast and turns the viewer's input — coordinates normalised to
 * the picture, so any viewer size works — into CDP input for the page, through the worker relay
 * (which refuses input unless the job waits for a human). "Done" resumes the job
 * ({@code resolved_by: live_view}), "Cancel" cancels it; when the blocker goes away after the
 * viewer's input, the job resumes by itself. The link dies with the pause: the socket ends once the
 * job is no longer paused with the pause it was made for (or, watching, once the job ends).
 */
class LiveViewHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(LiveViewHandler.class);
    static final String JOB = "gh.live.job";
    static final String WATCH = "gh.live.watch";
    static final String PAUSED_AT = "gh.live.pausedAt";
    static final String EXP = "gh.live.exp";

    private static final long SCREENSHOT_ID = 3;

    private final LiveHub hub;

    LiveViewHandler(LiveHub hub) {
        this.hub = hub;
    }

    private static final class View {
        final UUID jobId;
        final boolean watch;
        final String pausedAt;
        final long exp;
        final WebSocketSession out;
        final LiveHub.Counts counts = new LiveHub.Counts();
        final long openedAt = System.nanoTime();
        final AtomicLong ids = new AtomicLong(100);
        volatile TextSocket upstream;
        volatile double width = 1280;
        volatile double height = 720;
        volatile boolean ended;
        /** Set while this view resumes the job: the watchdog then leaves the ending to the resume. */
        volatile boolean resuming;

        volatile ScheduledFuture<?> watchdog;

        View(UUID jobId, boolean watch, String pausedAt, long exp, WebSocketSession out) {
            this.jobId = jobId;
            this.watch = watch;
            this.pausedAt = pausedAt;
            this.exp = exp;
            this.out = out;
        }

        void send(Map<String, Object> message) {
            try {
                if (out.isOpen()) {
                    out.sendMessage(new TextMessage(Json.write(message)));
                }
            } catch (IOException | IllegalStateException e) {
                log.debug("job {}: live view send: {}", jobId, e.toString());
            }
        }

        void cdp(long id, String method, Map<String, Object> params) {
            TextSocket up = upstream;
            if (up != null) {
                up.send(Json.write(Map.of("id", id, "method", method, "params", params)));
            }
        }

        void cdp(String method, Map<String, Object> params) {
            cdp(ids.incrementAndGet(), method, params);
        }
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) {
        WebSocketSession out = new ConcurrentWebSocketSessionDecorator(
                raw, 10_000, 16 * 1024 * 1024, ConcurrentWebSocketSessionDecorator.OverflowStrategy.DROP);
        View view = new View(
                (UUID) raw.getAttributes().get(JOB),
                Boolean.TRUE.equals(raw.getAttributes().get(WATCH)),
                (String) raw.getAttributes().get(PAUSED_AT),
                (Long) raw.getAttributes().get(EXP),
                out);
        raw.getAttributes().put("gh.live.view", view);
        hub.opened(view.jobId, "live_page", view.watch, view.watch ? null : "paused");
        hub.relays
                .connect(
                        view.jobId,
                        view.watch,
                        text -> fromPage(view, text),
                        (code, reason) -> end(view, "closed", "The job's page is no longer available"))
                .whenComplete((up, e) -> {
                    if (e != null) {
                        end(view, "closed", "The job's page cannot be reached");
                        return;
                    }
                    view.upstream = up;
                    view.cdp(1, "Page.enable", Map.of());
                    view.cdp(2, "Page.getLayoutMetrics", Map.of());
                    view.cdp(SCREENSHOT_ID, "Page.captureScreenshot", Map.of("format", "jpeg", "quality", 70));
                    view.cdp(4, "Page.startScreencast", Map.of("format", "jpeg", "quality", 70, "everyNthFrame", 1));
                });
        view.watchdog = hub.timer.scheduleWithFixedDelay(() -> checkStillValid(view), 1, 1, TimeUnit.SECONDS);
    }

    /** Ends the view once its link is dead: the pause it was made for is over, or the job ended. */
    private void checkStillValid(View view) {
        if (view.resuming) {
            return;
        }
        try {
            Map<String, Object> job = hub.job(view.jobId).orElse(null);
            String status = job == null ? null : (String) job.get("status");
            if (System.currentTimeMillis() / 1000 > view.exp) {
                end(view, "expired", "The link has expired");
            } else if (!view.watch && (!"paused".equals(status) || !view.pausedAt.equals(JobLinks.pausedAt(job)))) {
                end(
                        view,
                        "cancelled".equals(status) ? "cancelled" : "resumed",
                        "cancelled".equals(status)
                                ? "The job was cancelled"
                                : "running".equals(status)
                                        ? "The job continues: it is no longer waiting for a human"
                                        : "The job is no longer waiting for a human (" + status + ")");
            } else if (view.watch && LiveController.ended(status)) {
                end(view, "closed", "The job has ended (" + (status == null ? "gone" : status) + ")");
            }
        } catch (RuntimeException e) {
            log.debug("job {}: live view check: {}", view.jobId, e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private void fromPage(View view, String text) {
        if (text.startsWith("{\"method\":\"Page.screencastFrame\"")) {
            Map<String, Object> msg = Json.readMap(text);
            Map<String, Object> p = (Map<String, Object>) msg.get("params");
            view.cdp("Page.screencastFrameAck", Map.of("sessionId", p.get("sessionId")));
            if (p.get("metadata") instanceof Map<?, ?> meta) {
                if (meta.get("deviceWidth") instanceof Number w && w.doubleValue() > 0) {
                    view.width = w.doubleValue();
                }
                if (meta.get("deviceHeight") instanceof Number h && h.doubleValue() > 0) {
                    view.height = h.doubleValue();
                }
            }
            frame(view, p.get("data"));
            return;
        }
        Map<String, Object> msg = Json.readMap(text);
        if (msg == null) {
            return;
        }
        String method = (String) msg.get("method");
        Map<String, Object> params = msg.get("params") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if ("GhostHands.session".equals(method)) {
            view.send(state(view, params));
        } else if ("GhostHands.blockerCleared".equals(method)) {
            if (!view.watch && resume(view, "The blocker went away after the human's input in the live view")) {
                end(view, "resumed", "Solved: the job continues by itself");
            }
        } else if (msg.get("id") instanceof Number id) {
            Object result = msg.get("result");
            if (id.longValue() == 2
                    && result instanceof Map<?, ?> r
                    && r.get("cssLayoutViewport") instanceof Map<?, ?> vp) {
                if (vp.get("clientWidth") instanceof Number w && w.doubleValue() > 0) {
                    view.width = w.doubleValue();
                }
                if (vp.get("clientHeight") instanceof Number h && h.doubleValue() > 0) {
                    view.height = h.doubleValue();
                }
            } else if (id.longValue() == SCREENSHOT_ID && result instanceof Map<?, ?> r) {
                frame(view, r.get("data"));
            } else if (msg.get("error") instanceof Map<?, ?> err && id.longValue() > 100) {
                view.counts.refused.incrementAndGet();
                view.send(Map.of("t", "error", "message", String.valueOf(err.get("message"))));
            }
        }
    }

    /** The page's state for the viewer, from the relay's {@code GhostHands.session} note. */
    private static Map<String, Object> state(View view, Map<String, Object> params) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("t", "state");
        boolean paused = Boolean.TRUE.equals(params.get("pausedForHuman"));
        state.put("status", paused ? "paused" : "running");
        state.put("mode", view.watch ? "watch" : "control");
        state.put("input", !view.watch && paused);
        state.put("reason", params.get("pausedFor"));
        state.put("page_url", params.get("url"));
        state.put(
                "message",
                view.watch
                        ? "Watching the job's page (view only)"
                        : paused
                                ? "Solve what the page asks for; the job continues by itself once it is gone, or press Done."
                                : "The job is not waiting for a human");
        return state;
    }

    private static void frame(View view, Object data) {
        if (data instanceof String base64) {
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("t", "frame");
            frame.put("data", base64);
            frame.put("w", view.width);
            frame.put("h", view.height);
            view.send(frame);
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession raw, TextMessage message) {
        View view = (View) raw.getAttributes().get("gh.live.view");
        if (view == null || view.ended) {
            return;
        }
        Map<String, Object> in;
        try {
            in = Json.readMap(message.getPayload());
        } catch (IllegalArgumentException e) {
            view.send(Map.of("t", "error", "message", "not a JSON message"));
            return;
        }
        String t = in == null ? "" : String.valueOf(in.get("t"));
        if (view.watch && !t.isEmpty()) {
            view.counts.refused.incrementAndGet();
            view.send(Map.of("t", "error", "message", "This link only watches: input is not accepted"));
            return;
        }
        switch (t) {
            case "mouse" -> {
                Map<String, Object> p = point(view, in);
                p.put("type", oneOf(in.get("type"), "mouseMoved", "mousePressed", "mouseReleased", "mouseMoved"));
                p.put("button", oneOf(in.get("button"), "none", "left", "middle", "right", "none"));
                p.put("clickCount", num(in.get("clickCount"), 0));
                p.put("modifiers", num(in.get("modifiers"), 0));
                input(view, "Input.dispatchMouseEvent", p, false);
            }
            case "wheel" -> {
                Map<String, Object> p = point(view, in);
                p.put("type", "mouseWheel");
                p.put("deltaX", dbl(in.get("dx")));
                p.put("deltaY", dbl(in.get("dy")));
                p.put("modifiers", num(in.get("modifiers"), 0));
                input(view, "Input.dispatchMouseEvent", p, true);
            }
            case "key" -> input(view, "Input.dispatchKeyEvent", keyEvent(in), false);
            case "paste" -> {
                if (in.get("text") instanceof String text && !text.isEmpty()) {
                    input(
                            view,
                            "Input.insertText",
                            Map.of("text", text.length() > 10_000 ? text.substring(0, 10_000) : text),
                            false);
                }
            }
            case "done" -> {
                if (resume(view, "The human said it is done in the live view")) {
                    end(view, "resumed", "Thanks — the job continues");
                } else {
                    view.send(Map.of("t", "error", "message", "The job could not be resumed (no longer paused?)"));
                }
            }
            case "cancel" -> {
                if (hub.cancel(view.jobId)) {
                    end(view, "cancelled", "The job was cancelled");
                }
            }
            default -> view.send(Map.of("t", "error", "message", "unknown message type '" + t + "'"));
        }
    }

    /** The CDP key event for the viewer's {@code key} message. */
    private static Map<String, Object> keyEvent(Map<String, Object> in) {
        Map<String, Object> p = new LinkedHashMap<>();
        boolean down = "keyDown".equals(in.get("type"));
        String key = in.get("key") instanceof String k ? k : "";
        String text = in.get("text") instanceof String s && !s.isEmpty() ? s : "Enter".equals(key) ? "\r" : null;
        p.put("type", down ? (text != null ? "keyDown" : "rawKeyDown") : "keyUp");
        p.put("key", key);
        p.put("code", in.get("code") instanceof String c ? c : "");
        int keyCode = num(in.get("keyCode"), 0);
        p.put("windowsVirtualKeyCode", keyCode);
        p.put("nativeVirtualKeyCode", keyCode);
        p.put("modifiers", num(in.get("modifiers"), 0));
        if (down && text != null) {
            p.put("text", text);
            p.put("unmodifiedText", text);
        }
        return p;
    }

    /** Resumes the job for this view; the watchdog keeps out meanwhile (it would end the view less kindly). */
    private boolean resume(View view, String why) {
        view.resuming = true;
        boolean resumed = false;
        try {
            resumed = hub.resume(view.jobId, why);
            return resumed;
        } finally {
            view.resuming = resumed;
        }
    }

    private static void input(View view, String method, Map<String, Object> params, boolean wheel) {
        view.counts.count(method, wheel);
        view.cdp(method, params);
    }

    /** The viewer's normalised point on the page, in the page's CSS pixels. */
    private static Map<String, Object> point(View view, Map<String, Object> in) {
        double nx = Math.max(0, Math.min(1, dbl(in.get("x"))));
        double ny = Math.max(0, Math.min(1, dbl(in.get("y"))));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("x", nx * view.width);
        p.put("y", ny * view.height);
        return p;
    }

    private static String oneOf(Object value, String fallback, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return a;
            }
        }
        return fallback;
    }

    private static int num(Object v, int fallback) {
        return v instanceof Number n ? Math.max(0, Math.min(n.intValue(), 1 << 16)) : fallback;
    }

    private static double dbl(Object v) {
        return v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : 0;
    }

    private void end(View view, String reason, String message) {
        synchronized (view) {
            if (view.ended) {
                return;
            }
            view.ended = true;
        }
        view.send(Map.of("t", "ended", "reason", reason, "message", message));
        try {
            view.out.close(CloseStatus.NORMAL);
        } catch (IOException e) {
            log.debug("live view close: {}", e.toString());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession raw, CloseStatus status) {
        View view = (View) raw.getAttributes().get("gh.live.view");
        if (view == null) {
            return;
        }
        view.ended = true;
        if (view.watchdog != null) {
            view.watchdog.cancel(false);
        }
        if (view.upstream != null) {
            view.upstream.close("viewer left");
        }
        hub.closed(view.jobId, "live_page", view.watch, view.openedAt, view.counts);
    }
}
