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
import java.util.function.Supplier;

/**
 * The worker's own small HTTP port (no auth, like the earlier implementation's): {@code GET
 * /worker/status} and {@code GET /worker/health} (200 idle, 503 busy).
 */
class WorkerStatusServer implements AutoCloseable {

  private final HttpServer server;

  WorkerStatusServer(int port, Supplier<Map<String, Object>> status, Supplier<Boolean> idle) {
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
    server.createContext("/worker/status", ex -> answer(ex, 200, status.get()));
    server.createContext(
        "/worker/health",
        ex -> {
          boolean isIdle = idle.get();
          answer(ex, isIdle ? 200 : 503, Map.of("status", isIdle ? "idle" : "busy"));
        });
    server.createContext("/", ex -> answer(ex, 404, Map.of("error", "not_found")));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int code, Map<String, Object> body) throws IOException {
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
