package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.browser.JobSessions;
import io.ghosthands.activities.live.CdpPolicy;
import io.ghosthands.activities.live.TextSocket;
import io.ghosthands.activities.store.Json;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.exceptions.InvalidDataException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshakeBuilder;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's live-view relay: a WebSocket per viewer at {@code ws://<bind>:<port>/live/<job id>?mode=control|watch}
 * (header {@code X-GH-Service-Key}), joined to the DevTools endpoint of that job's page in this
 * worker's Chromium. The API's {@code /internal/cdp-proxy} and live page connect here (the registry
 * row's {@code metadata.live_relay} says where); people never do.
 *
 * <p>Every command a viewer sends passes the {@link CdpPolicy}: page reads always, input only from a
 * control viewer while the job waits for a human on this page, nothing else. Keystrokes are relayed,
 * never logged. After a control viewer's input has been quiet for {@link #QUIET_MS}, the page is
 * checked again with the blocker detector; when the blocker it was paused for is gone, the viewer
 * is told with the event {@code GhostHands.blockerCleared} (the API then resumes the job). On open the
 * viewer gets {@code GhostHands.session} ({@code jobId, pausedForHuman, pausedFor, url, title}).
 */
final class LiveRelay extends WebSocketServer {

    private static final Logger log = LoggerFactory.getLogger(LiveRelay.class);

    static final String PATH = "/live/";
    static final long QUIET_MS = 1200;
    // ids of the relay's own commands on a page connection (Chromium takes 32-bit ids); a viewer's stay below
    private static final long OWN_IDS = 1L << 30;
    private static final Pattern PATH_PATTERN = Pattern.compile("^/live/([0-9a-fA-F-]{36})(?:\\?(.*))?$");
    private static final Pattern RESPONSE_ID = Pattern.compile("^\\{\"id\":(\\d+)");

    private final byte[] serviceKey;
    private final JobSessions sessions;
    private final CdpPolicy policy;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService quietWatch;
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile Exception startFailure;

    LiveRelay(InetAddress bind, String serviceKey, JobSessions sessions, CdpPolicy policy) {
        super(new InetSocketAddress(bind, 0));
        this.serviceKey = serviceKey == null ? new byte[0] : serviceKey.getBytes(StandardCharsets.UTF_8);
        this.sessions = sessions;
        this.policy = policy;
        setReuseAddr(true);
        setDaemon(true);
        setConnectionLostTimeout(30);
        this.quietWatch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-relay-quiet");
            t.setDaemon(true);
            return t;
        });
        quietWatch.scheduleWithFixedDelay(this::checkQuiet, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Starts listening; returns once the port is bound. */
    void open() {
        start();
        try {
            if (!started.await(10, TimeUnit.SECONDS) || startFailure != null) {
                throw new IllegalStateException("live relay did not start: " + startFailure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return getPort() != 0 ? getPort() : getAddress().getPort();
    }

    /** Viewers connected now (for the status answer). */
    int viewers() {
        return links.size();
    }

    @Override
    public ServerHandshakeBuilder onWebsocketHandshakeReceivedAsServer(
            WebSocket conn, Draft draft, ClientHandshake request) throws InvalidDataException {
        ServerHandshakeBuilder builder = super.onWebsocketHandshakeReceivedAsServer(conn, draft, request);
        if (!WorkerStatusServer.keyMatches(serviceKey, request.getFieldValue(WorkerStatusServer.KEY_HEADER))) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "unauthorized");
        }
        if (!PATH_PATTERN.matcher(request.getResourceDescriptor()).matches()) {
            throw new InvalidDataException(CloseFrame.POLICY_VALIDATION, "not found");
        }
        return builder;
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        Matcher m = PATH_PATTERN.matcher(handshake.getResourceDescriptor());
        if (!m.matches()) {
            conn.close(CloseFrame.POLICY_VALIDATION, "not found");
            return;
        }
        String jobId = m.group(1).toLowerCase(Locale.ROOT);
        boolean control = m.group(2) == null || !m.group(2).contains("mode=watch");
        Optional<URI> devtools = sessions.devtoolsUri(jobId);
        if (devtools.isEmpty()) {
            conn.close(4404, "this worker holds no live page for job " + jobId);
            return;
        }
        Link link = new Link(conn, jobId, control);
        conn.setAttachment(link);
        links.add(link);
        sessions.viewerJoined(jobId);
        link.connect(devtools.get());
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
        Link link = conn.getAttachment();
        if (link != null) {
            link.fromViewer(message);
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
        Link link = conn.getAttachment();
        if (link != null) {
            links.remove(link);
            link.close();
        }
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
        if (conn == null) {
            startFailure = ex;
            started.countDown();
            log.warn("live relay: {}", ex.toString());
        } else {
        }
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    /** Closes every viewer's link and the port. */
    void shutdown() {
        quietWatch.shutdownNow();
        try {
            stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        links.forEach(Link::close);
    }

    private void checkQuiet() {
        long now = System.nanoTime();
        for (Link link : links) {
            try {
                link.checkQuiet(now);
            } catch (RuntimeException e) {
                log.debug("live relay quiet check: {}", e.toString());
            }
        }
    }

    /** One viewer joined to one page. */
    private final class Link {
        final WebSocket viewer;
        final String jobId;
        final boolean control;
        final AtomicLong ownIds = new AtomicLong(OWN_IDS);
        final Map<Long, String> ownPending = new ConcurrentHashMap<>();
        final TextSocket page;
        volatile long lastInputNanos;
        volatile boolean checkDue;
        volatile boolean closed;

        Link(WebSocket viewer, String jobId, boolean control) {
            this.viewer = viewer;
            this.jobId = jobId;
            this.control = control;
            this.page = new TextSocket(
                    "job " + jobId + ": live view",
                    this::fromPage,
                    (code, reason) -> closeViewer(4502, "the job's page closed"),
                    error -> closeViewer(4502, "the job's page connection failed"));
        }

        void connect(URI devtools) {
            page.connect(http, devtools, Map.of()).whenComplete((ws, e) -> {
                if (e != null) {
                    log.info("job {}: live view could not reach its page: {}", jobId, e.toString());
                    closeViewer(4502, "the job's page cannot be reached");
                } else {
                    own("Target.getTargetInfo", "{}");
                }
            });
        }

        void toPage(String text) {
            page.send(text);
        }

        void own(String method, String paramsJson) {
            long id = ownIds.incrementAndGet();
            ownPending.put(id, method);
            toPage("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + paramsJson + "}");
        }

        void fromViewer(String text) {
            Map<String, Object> msg;
            try {
                msg = Json.readMap(text);
            } catch (IllegalArgumentException e) {
                viewer.send(CdpPolicy.refusal(0, "not a JSON command"));
                return;
            }
            long id = msg != null && msg.get("id") instanceof Number n ? n.longValue() : -1;
            String method = msg != null && msg.get("method") instanceof String s ? s : null;
            if (id < 0 || id >= OWN_IDS) {
                viewer.send(CdpPolicy.refusal(Math.max(id, 0), "every command needs an integer id below 2^30"));
                return;
            }
            switch (policy.judge(method, msg.containsKey("sessionId"))) {
                case REFUSED -> viewer.send(CdpPolicy.refusal(id, "'" + method + "' is not allowed"));
                case INPUT -> {
                    String pausedFor = sessions.get(jobId)
                            .map(JobSessions.Session::pausedFor)
                            .orElse(null);
                    if (!control) {
                        viewer.send(CdpPolicy.refusal(id, "this viewer only watches"));
                    } else if (pausedFor == null) {
                        viewer.send(CdpPolicy.refusal(
                                id, "the job is not waiting for a human: input is accepted only while it is"));
                    } else {
                        lastInputNanos = System.nanoTime();
                        checkDue = true;
                        toPage(text);
                    }
                }
                case READ -> toPage(text);
            }
        }

        void checkQuiet(long now) {
            if (!control || !checkDue || closed || now - lastInputNanos < TimeUnit.MILLISECONDS.toNanos(QUIET_MS)) {
                return;
            }
            checkDue = false;
            String pausedFor =
                    sessions.get(jobId).map(JobSessions.Session::pausedFor).orElse(null);
            if (pausedFor == null || pausedFor.equals("screening_question")) {
                return; // nothing the detector could see go away: the human says when the answers are in
            }
            own(
                    "Runtime.evaluate",
                    "{\"expression\":" + Json.write(BlockerDetector.signalsExpression())
                            + ",\"returnByValue\":true,\"awaitPromise\":true}");
        }

        /** A whole message from the page: an answer to the relay's own command, or the viewer's. */
        private void fromPage(String text) {
            Matcher m = RESPONSE_ID.matcher(text);
            if (m.find() && m.group(1).length() < 12 && Long.parseLong(m.group(1)) >= OWN_IDS) {
                String method = ownPending.remove(Long.parseLong(m.group(1)));
                try {
                    ownAnswer(method, text);
                } catch (RuntimeException e) {
                    log.debug("job {}: live view check: {}", jobId, e.toString());
                }
            } else if (viewer.isOpen()) {
                viewer.send(text);
                if (text.startsWith("{\"method\":\"Inspector.detached\"") && text.contains("target_closed")) {
                    // the job's page is gone (the job ended): Chromium keeps the socket, the view ends here
                    closeViewer(4410, "the job's page closed");
                }
            }
        }

        @SuppressWarnings("unchecked")
        private void ownAnswer(String method, String text) {
            Map<String, Object> answer = Json.readMap(text);
            Map<String, Object> result =
                    answer.get("result") instanceof Map<?, ?> r ? (Map<String, Object>) r : Map.of();
            if ("Target.getTargetInfo".equals(method)) {
                Map<String, Object> info =
                        result.get("targetInfo") instanceof Map<?, ?> i ? (Map<String, Object>) i : Map.of();
                String pausedFor =
                        sessions.get(jobId).map(JobSessions.Session::pausedFor).orElse(null);
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("jobId", jobId);
                params.put("pausedForHuman", pausedFor != null);
                params.put("pausedFor", pausedFor);
                params.put("url", info.get("url"));
                params.put("title", info.get("title"));
                params.put("control", control);
                viewer.send(event("GhostHands.session", params));
            } else if ("Runtime.evaluate".equals(method)) {
                Object value =
                        result.get("result") instanceof Map<?, ?> r ? ((Map<String, Object>) r).get("value") : null;
                if (!(value instanceof Map<?, ?> signals)) {
                    return;
                }
                String pausedFor =
                        sessions.get(jobId).map(JobSessions.Session::pausedFor).orElse(null);
                Optional<BlockerDetector.Blocker> blocker = BlockerDetector.classify((Map<String, Object>) signals);
                if (pausedFor != null && blocker.isEmpty()) {
                    log.info("job {}: the {} blocker is gone after the live viewer's input", jobId, pausedFor);
                    viewer.send(event("GhostHands.blockerCleared", Map.of("jobId", jobId, "was", pausedFor)));
                }
            }
        }

        /** A relay event, {@code method} first as Chromium writes them (readers match on the prefix). */
        private String event(String method, Map<String, Object> params) {
            return "{\"method\":\"" + method + "\",\"params\":" + Json.write(params) + "}";
        }

        void closeViewer(int code, String reason) {
            if (viewer.isOpen()) {
                viewer.close(code, reason);
            }
            close();
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            links.remove(this);
            sessions.viewerLeft(jobId);
            page.close("viewer left");
        }
    }
}
