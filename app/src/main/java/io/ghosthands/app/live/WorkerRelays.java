package io.ghosthands.app.live;

import io.ghosthands.activities.live.TextSocket;
import io.ghosthands.activities.store.WorkerRegistryStore;
import io.ghosthands.app.config.GhProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
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
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
    CompletableFuture<TextSocket> connect(
            UUID jobId, boolean watch, Consumer<String> onText, BiConsumer<Integer, String> onClose) {
        Optional<URI> relay = relayFor(jobId);
        if (relay.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalStateException("no worker holds the job's page"));
        }
        URI uri = URI.create(relay.get() + "/live/" + jobId + "?mode=" + (watch ? "watch" : "control"));
        return new TextSocket("live relay of job " + jobId, onText, onClose)
                .connect(http, uri, Map.of(KEY_HEADER, serviceKey));
    }
}
