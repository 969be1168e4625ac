package io.ghosthands.activities.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A text WebSocket client on the JDK's {@link HttpClient}, as the live view joins sockets (the API to
 * a worker's relay, the relay to a page's DevTools endpoint): sends go out one after another (the
 * JDK allows one in flight) and may be queued before the socket is open; messages are handed over
 * whole.
 */
public final class TextSocket {

    private static final Logger log = LoggerFactory.getLogger(TextSocket.class);

    private final String name;
    private final Consumer<String> onText;
    private final BiConsumer<Integer, String> onClose;
    private final Consumer<Throwable> onError;
    private final StringBuilder partial = new StringBuilder();
    private volatile CompletableFuture<WebSocket> socket;
    private CompletableFuture<?> sending;
    private volatile boolean closed;

    /**
     * @param name what the socket is for, in log lines
     * @param onText every message, whole
     * @param onClose when the other side closes (code, reason)
     * @param onError when the connection fails
     */
    public TextSocket(
            String name, Consumer<String> onText, BiConsumer<Integer, String> onClose, Consumer<Throwable> onError) {
        this.name = name;
        this.onText = onText;
        this.onClose = onClose;
        this.onError = onError;
    }

    /** As above; a failed connection is a close with code 1011 and the error's message. */
    public TextSocket(String name, Consumer<String> onText, BiConsumer<Integer, String> onClose) {
        this(name, onText, onClose, error -> onClose.accept(1011, String.valueOf(error.getMessage())));
    }

    /** Opens the socket (5 s to connect), with {@code headers}; completes with this socket once open. */
    public CompletableFuture<TextSocket> connect(HttpClient http, URI uri, Map<String, String> headers) {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        CompletableFuture<WebSocket> opened =
                builder.buildAsync(uri, listener()).toCompletableFuture();
        synchronized (this) {
            socket = opened;
            sending = opened;
        }
        return opened.thenApply(ws -> this);
    }

    /** Sends a whole message after those sent before it; failures are logged, not thrown. */
    public synchronized void send(String text) {
        if (closed || socket == null) {
            return;
        }
        CompletableFuture<WebSocket> s = socket;
        sending = sending.thenCompose(v -> s.join().sendText(text, true)).exceptionally(e -> {
            log.debug("{} send: {}", name, e.toString());
            return null;
        });
    }

    /** Closes the socket (normal closure, {@code reason}) after the sends queued so far. */
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<?> pending;
        synchronized (this) {
            pending = sending;
        }
        CompletableFuture<WebSocket> s = socket;
        if (s != null) {
            s.thenAccept(ws -> pending.handle((v, e) -> null)
                    .thenRun(
                            () -> ws.sendClose(WebSocket.NORMAL_CLOSURE, reason).exceptionally(e -> null)));
        }
    }

    /** Whether the socket was closed, by either side, or failed. */
    public boolean closed() {
        return closed;
    }

    private WebSocket.Listener listener() {
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
                        log.debug("{} message: {}", name, e.toString());
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
                onError.accept(error);
            }
        };
    }
}
