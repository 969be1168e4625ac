package io.ghosthands.app.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.store.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The worker's own small HTTP port (no auth, like the earlier implementation's): {@code GET
 * /worker/status}, {@code GET /worker/health} (200 idle, 503 busy or draining; {@code {status,
 * deploy_safe, active_jobs}}) and {@code POST /worker/drain}.
 */
class WorkerStatusServer implements AutoCloseable {

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

  private final HttpServer server;

  WorkerStatusServer(int port, Endpoints endpoints) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (BindException e) {
      throw new IllegalStateException(
          "worker status port " + port + " is in use; set GH_WORKER_PORT to a free port (0 = any)", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "worker-status-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/worker/status", ex -> answer(ex, 200, endpoints.status()));
    server.createContext(
        "/worker/health",
        ex -> {
          String health = endpoints.health();
          int held = endpoints.jobsHeld();
          Map<String, Object> body = new java.util.LinkedHashMap<>();
          body.put("status", health);
          // stopping this process now loses nothing: no browser step runs and no page is held
          body.put("deploy_safe", held == 0);
          body.put("active_jobs", held);
          answer(ex, health.equals("idle") ? 200 : 503, body);
        });
    server.createContext(
        "/worker/drain",
        ex -> {
          if (!ex.getRequestMethod().equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            answer(ex, 405, Map.of("error", "method_not_allowed", "message", "use POST /worker/drain"));
            return;
          }
          Drain drain = endpoints.drain();
          // 202: the drain was started now and runs on; 200: it was already under way (or over)
          answer(ex, drain.started() ? 202 : 200, drain.body());
        });
    server.createContext("/", ex -> answer(ex, 404, Map.of("error", "not_found")));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
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
