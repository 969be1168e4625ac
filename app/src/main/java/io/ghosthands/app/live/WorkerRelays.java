package io.ghosthands.app.live;

import io.ghosthands.activities.store.WorkerRegistryStore;
import io.ghosthands.app.config.GhProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Finds and joins the worker relay that holds a job's page: the worker the job runs on, as the
 * registry row's {@code metadata.live_relay} says ({@code ws://host:port}), so the API reaches the
 * page whether or not it runs beside that worker.
 */
@Component
public class WorkerRelays {

  /** The header the worker relay checks (the service key). */
  static final String KEY_HEADER = "X-GH-Service-Key";

  private final WorkerRegistryStore registry;
  private final String serviceKey;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public WorkerRelays(DataSource dataSource, GhProperties properties) {
    this.registry = new WorkerRegistryStore(dataSource);
    this.serviceKey = properties.getServiceKey();
  }

  /** The relay of the worker holding the job, if that worker is registered and not offline. */
  Optional<URI> relayFor(UUID jobId) {
    return registry.relayFor(jobId);
  }

  /**
   * The job most recently paused for a human whose page a worker can show: a worker on this host
   * first ({@code host}), else any.
   */
  Optional<UUID> latestPaused(String host) {
    return registry.latestPaused(host);
  }

  /**
   * Joins the worker relay for the job's page.
   *
   * @param watch read-only ({@code mode=watch}); else control
   * @param onText every message from the page, whole
   * @param onClose when the relay or the page goes away (code, reason)
   */
  CompletableFuture<Upstream> connect(UUID jobId, boolean watch, Consumer<String> onText,
      java.util.function.BiConsumer<Integer, String> onClose) {
    Optional<URI> relay = relayFor(jobId);
    if (relay.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalStateException("no worker holds the job's page"));
    }
    URI uri = URI.create(relay.get() + "/live/" + jobId + "?mode=" + (watch ? "watch" : "control"));
    Upstream upstream = new Upstream(onText, onClose);
    return http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).header(KEY_HEADER, serviceKey)
        .buildAsync(uri, upstream.listener()).thenApply(ws -> {
          upstream.socket = ws;
          return upstream;
        });
  }

  /** A connection to a worker relay: sends in order, hands over whole messages. */
  static final class Upstream {
    private final Consumer<String> onText;
    private final java.util.function.BiConsumer<Integer, String> onClose;
    private final StringBuilder partial = new StringBuilder();
    volatile WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);
    private volatile boolean closed;

    Upstream(Consumer<String> onText, java.util.function.BiConsumer<Integer, String> onClose) {
      this.onText = onText;
      this.onClose = onClose;
    }

    synchronized void send(String text) {
      if (closed) {
        return;
      }
      sending = sending.thenCompose(v -> socket.sendText(text, true)).exceptionally(e -> null);
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      WebSocket ws = socket;
      if (ws != null) {
        synchronized (this) {
          sending.thenRun(() -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "viewer left").exceptionally(e -> null));
        }
      }
    }

    boolean closed() {
      return closed;
    }

    WebSocket.Listener listener() {
      return new WebSocket.Listener() {
        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
          String text = null;
          synchronized (partial) {
            partial.append(data);
            if (last) {
              text = partial.toString();
              partial.setLength(0);
            }
          }
          if (text != null) {
            try {
              onText.accept(text);
            } catch (RuntimeException e) {
              org.slf4j.LoggerFactory.getLogger(WorkerRelays.class).debug("live relay message: {}", e.toString());
            }
          }
          ws.request(1);
          return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
          closed = true;
          onClose.accept(statusCode, reason);
          return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
          closed = true;
          onClose.accept(1011, String.valueOf(error.getMessage()));
        }
      };
    }
  }
}
