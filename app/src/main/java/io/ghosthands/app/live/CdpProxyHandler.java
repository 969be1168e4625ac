package io.ghosthands.app.live;

import io.ghosthands.activities.live.CdpPolicy;
import io.ghosthands.activities.live.TextSocket;
import io.ghosthands.activities.store.Json;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * {@code /internal/cdp-proxy?key=<service key>[&job_id=]}: raw Chrome DevTools Protocol to one
 * paused job's page, as VALET's live-view relay speaks it ({@code Page.enable},
 * {@code Page.captureScreenshot} every 500 ms, {@code Input.*}). The connection is joined to the
 * worker relay holding the page, which applies the {@link CdpPolicy} (refused commands get a CDP
 * error answer); the relay's own events ({@code GhostHands.*}) are not passed on. When the human's
 * input makes the blocker go away, the job resumes by itself.
 */
class CdpProxyHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(CdpProxyHandler.class);
    private static final Pattern OWN_EVENT = Pattern.compile("^\\{\"method\":\"GhostHands\\.");
    static final String JOB = "gh.live.job";

    private final LiveHub hub;

    CdpProxyHandler(LiveHub hub) {
        this.hub = hub;
    }

    private static final class Link {
        volatile TextSocket upstream;
        final LiveHub.Counts counts = new LiveHub.Counts();
        final long openedAt = System.nanoTime();
        volatile boolean resumed;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession raw) {
        WebSocketSession session = new ConcurrentWebSocketSessionDecorator(raw, 10_000, 16 * 1024 * 1024);
        UUID jobId = (UUID) raw.getAttributes().get(JOB);
        Link link = new Link();
        raw.getAttributes().put("gh.live.link", link);
        raw.getAttributes().put("gh.live.out", session);
        hub.opened(jobId, "cdp_proxy", false, "paused");
        hub.relays
                .connect(
                        jobId,
                        false,
                        text -> fromPage(session, jobId, link, text),
                        (code, reason) -> close(session, reason))
                .whenComplete((up, e) -> {
                    if (e != null) {
                        log.info("job {}: CDP proxy could not join the worker's relay: {}", jobId, e.toString());
                        close(session, "the job's page cannot be reached");
                    } else {
                        link.upstream = up;
                        synchronized (link) {
                            link.notifyAll();
                        }
                    }
                });
    }

    private void fromPage(WebSocketSession session, UUID jobId, Link link, String text) {
        if (OWN_EVENT.matcher(text).find()) {
            if (text.startsWith("{\"method\":\"GhostHands.blockerCleared\"") && !link.resumed) {
                link.resumed = hub.resume(jobId, "The blocker went away after input through the CDP proxy");
            }
            return;
        }
        try {
            session.sendMessage(new TextMessage(text));
        } catch (IOException | IllegalStateException e) {
            log.debug("job {}: CDP proxy send: {}", jobId, e.toString());
        }
    }

    @Override
    protected void handleTextMessage(WebSocketSession raw, TextMessage message) throws InterruptedException {
        Link link = (Link) raw.getAttributes().get("gh.live.link");
        TextSocket up = link.upstream;
        if (up == null) {
            synchronized (link) {
                link.wait(5000); // the first commands can arrive before the relay is joined
            }
            up = link.upstream;
            if (up == null) {
                return;
            }
        }
        String text = message.getPayload();
        if (text.contains("\"Input.")) {
            Map<String, Object> msg = Json.readMap(text);
            String method = msg == null ? null : (String) msg.get("method");
            if (CdpPolicy.isInput(method)) {
                Object params = msg.get("params");
                link.counts.count(method, params instanceof Map<?, ?> p && "mouseWheel".equals(p.get("type")));
            }
        }
        up.send(text);
    }

    private void close(WebSocketSession session, String reason) {
        try {
            if (session.isOpen()) {
                session.close(new CloseStatus(4502, reason.length() > 100 ? reason.substring(0, 100) : reason));
            }
        } catch (IOException e) {
            log.debug("CDP proxy close: {}", e.toString());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession raw, CloseStatus status) {
        Link link = (Link) raw.getAttributes().get("gh.live.link");
        UUID jobId = (UUID) raw.getAttributes().get(JOB);
        if (link != null) {
            if (link.upstream != null) {
                link.upstream.close("viewer left");
            }
            hub.closed(jobId, "cdp_proxy", false, link.openedAt, link.counts);
        }
    }
}
