package io.ghosthands.app.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A callback receiver on loopback, as VALET's webhook would be: records every callback (path, query,
 * headers, body), answers 200, and can answer 500 on a path for a while.
 */
public final class CallbackReceiver implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One callback as received. */
    public record Hit(
            String path, String query, Map<String, List<String>> headers, String body, Map<String, Object> json) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String status() {
            return (String) json.get("status");
        }
    }

    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private final Map<String, Long> downUntil = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final Function<String, String> context;
    private final HttpServer server;

    public CallbackReceiver() {
        this(jobId -> "");
    }

    /** @param context what to add, for a job, to the message of an {@link #await} that times out */
    public CallbackReceiver(Function<String, String> context) {
        this.context = context;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Long until = downUntil.get(ex.getRequestURI().getPath());
            if (until != null && System.nanoTime() < until) {
                refused.incrementAndGet();
                send(ex, 500, "{\"error\":\"down\"}");
                return;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = JSON.readValue(body, Map.class);
            hits.add(new Hit(
                    ex.getRequestURI().getPath(),
                    ex.getRequestURI().getRawQuery(),
                    Map.copyOf(ex.getRequestHeaders()),
                    body,
                    parsed));
            send(ex, 200, "{\"received\":true}");
        });
        server.start();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers 500 on {@code path} until {@code nanoTime}. */
    public void failUntil(String path, long nanoTime) {
        downUntil.put(path, nanoTime);
    }

    /** How many callbacks were answered 500. */
    public int refused() {
        return refused.get();
    }

    /** The callbacks received for a job, in order. */
    public List<Hit> hits(String jobId) {
        return hits.stream().filter(h -> jobId.equals(h.json().get("job_id"))).toList();
    }

    /** The statuses of the callbacks received for a job, in order. */
    public List<String> statuses(String jobId) {
        return hits(jobId).stream().map(Hit::status).toList();
    }

    /** How many callbacks with this status were received for the job. */
    public long count(String jobId, String status) {
        return hits(jobId).stream().filter(h -> status.equals(h.status())).count();
    }

    public Map<String, Object> await(String jobId, String status) throws InterruptedException {
        return await(jobId, status, Duration.ofSeconds(60));
    }

    /** The first callback with this status for the job, waiting for it up to {@code timeout}. */
    public Map<String, Object> await(String jobId, String status, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Predicate<Hit> match = h -> jobId.equals(h.json().get("job_id")) && status.equals(h.status());
        while (System.nanoTime() < deadline) {
            for (Hit hit : hits) {
                if (match.test(hit)) {
                    return hit.json();
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("no " + status + " callback for job " + jobId + " within " + timeout + "; got "
                + statuses(jobId) + context.apply(jobId));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
