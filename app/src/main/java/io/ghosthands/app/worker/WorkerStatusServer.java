package io.ghosthands.app.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.store.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The worker's own small HTTP port: {@code GET /worker/status}, {@code GET /worker/health} (200 idle,
 * 503 busy or draining; {@code {status, deploy_safe, active_jobs}}) and {@code POST /worker/drain}.
 *
 * <p>It listens on loopback unless {@code GH_WORKER_BIND} widens it. The reads stay open, as VALET
 * probes them without a key; every other method needs {@code X-GH-Service-Key} (compared in constant
 * time, as the API does), else 401 {@code {"error":"unauthorized"}}: a drain from anyone who can
 * reach the port — a job's {@code callback_url} pointed at it, say — stopped the worker taking work.
 * A worker started without a service key refuses every such request.
 */
public class WorkerStatusServer implements AutoCloseable {

    /** What the port answers; implemented by {@link WorkerRuntime}. */
    interface Endpoints {
        Map<String, Object> status();

        /** {@code idle}, {@code busy} or {@code draining}; only {@code idle} answers 200. */
        String health();

        /** Jobs this worker holds: browser steps running and pages kept open (paused for a human). */
        int jobsHeld();

        /** Starts a drain (idempotent); {@code started} says whether this call started it. */
        Drain drain();
    }

    /** The answer to {@code POST /worker/drain}. */
    record Drain(boolean started, Map<String, Object> body) {}

    static final String KEY_HEADER = "X-GH-Service-Key";

    private final HttpServer server;
    private final byte[] serviceKey;

    /**
     * @param bind the address to listen on ({@code GH_WORKER_BIND}: an address, or {@code 0.0.0.0})
     * @param serviceKey the key the non-GET routes require; blank refuses them all
     */
    WorkerStatusServer(String bind, int port, String serviceKey, Endpoints endpoints) {
        this.serviceKey = serviceKey == null ? new byte[0] : serviceKey.getBytes(StandardCharsets.UTF_8);
        InetAddress address = bindAddress(bind);
        try {
            server = HttpServer.create(new InetSocketAddress(address, port), 16);
        } catch (BindException e) {
            throw new IllegalStateException(
                    "worker status port " + bind + ":" + port + " cannot be bound (" + e.getMessage()
                            + "); set GH_WORKER_PORT to a free port (0 = any) or GH_WORKER_BIND to an address of this host",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "worker-status-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/worker/status", guarded(ex -> {
            if (readOnly(ex, "/worker/status")) {
                answer(ex, 200, endpoints.status());
            }
        }));
        server.createContext("/worker/health", guarded(ex -> {
            if (!readOnly(ex, "/worker/health")) {
                return;
            }
            String health = endpoints.health();
            int held = endpoints.jobsHeld();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", health);
            // stopping this process now loses nothing: no browser step runs and no page is held
            body.put("deploy_safe", held == 0);
            body.put("active_jobs", held);
            answer(ex, health.equals("idle") ? 200 : 503, body);
        }));
        server.createContext("/worker/drain", guarded(ex -> {
            if (!ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().set("Allow", "POST");
                answer(ex, 405, Map.of("error", "method_not_allowed", "message", "use POST /worker/drain"));
                return;
            }
            Drain drain = endpoints.drain();
            // 202: the drain was started now and runs on; 200: it was already under way (or over)
            answer(ex, drain.started() ? 202 : 200, drain.body());
        }));
        server.createContext("/", guarded(ex -> answer(ex, 404, Map.of("error", "not_found"))));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The address the port listens on. */
    InetAddress address() {
        return server.getAddress().getAddress();
    }

    /** Lets GET and HEAD through; anything else only with the service key (401 JSON otherwise). */
    private HttpHandler guarded(HttpHandler route) {
        return ex -> {
            String method = ex.getRequestMethod();
            if (method.equals("GET") || method.equals("HEAD") || authorized(ex)) {
                route.handle(ex);
                return;
            }
            String given = ex.getRequestHeaders().getFirst(KEY_HEADER);
            answer(
                    ex,
                    401,
                    Map.of(
                            "error",
                            "unauthorized",
                            "message",
                            serviceKey.length == 0
                                    ? "this worker has no GH_SERVICE_KEY: stop it with a signal"
                                    : given == null ? "Missing " + KEY_HEADER + " header" : "Invalid " + KEY_HEADER));
        };
    }

    private boolean authorized(HttpExchange ex) {
        return keyMatches(serviceKey, ex.getRequestHeaders().getFirst(KEY_HEADER));
    }

    /**
     * Whether {@code given} is the service key, compared in constant time; with no key configured
     * nothing matches. The worker's ports (status, live relay) and the API's live routes all ask this.
     */
    public static boolean keyMatches(byte[] serviceKey, String given) {
        return serviceKey.length > 0
                && given != null
                && !given.isEmpty()
                && MessageDigest.isEqual(serviceKey, given.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code GH_WORKER_BIND} as an address: a literal or a name of this host, never a slow lookup. */
    static InetAddress bindAddress(String bind) {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("GH_WORKER_BIND '" + bind + "' is not an address of this host", e);
        }
    }

    /** The read routes answer GET (and HEAD); an authorised other method gets 405. */
    private static boolean readOnly(HttpExchange ex, String path) throws IOException {
        String method = ex.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", "GET");
        answer(ex, 405, Map.of("error", "method_not_allowed", "message", "use GET " + path));
        return false;
    }

    private static void answer(HttpExchange exchange, int code, Map<String, Object> body) throws IOException {
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
