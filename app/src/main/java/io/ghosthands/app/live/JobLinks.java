package io.ghosthands.app.live;

import io.ghosthands.activities.live.LiveLinks;
import io.ghosthands.app.config.GhProperties;
import io.ghosthands.app.worker.WorkerConfig;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API's side of {@link LiveLinks}: makes the live page's link for a paused job (its
 * {@code interaction_data} says when the pause began and when it expires) and checks links.
 */
@Component
public class JobLinks {

    private final LiveLinks links;
    private final byte[] key;

    public JobLinks(GhProperties properties, Environment env) {
        this.links = new LiveLinks(() -> WorkerConfig.publicUrl(properties, env), properties.getServiceKey());
        this.key = LiveLinks.keyFrom(properties.getServiceKey());
    }

    /** The pause's start as the link binds it ({@code interaction_data.paused_at}), or null. */
    static String pausedAt(Map<String, Object> job) {
        return job.get("interaction_data") instanceof JsonNode i
                        && i.path("paused_at").isString()
                ? i.path("paused_at").asString()
                : null;
    }

    /** The control link of a paused job, until its pause expires; empty when not paused or no key. */
    public Optional<String> control(Map<String, Object> job) {
        return controlLink(job).map(LiveLinks.Link::url);
    }

    /** {@link #control}, with its expiry. */
    public Optional<LiveLinks.Link> controlLink(Map<String, Object> job) {
        if (!"paused".equals(job.get("status")) || !(job.get("interaction_data") instanceof JsonNode i)) {
            return Optional.empty();
        }
        String pausedAt = pausedAt(job);
        Instant expires;
        try {
            expires = Instant.parse(i.path("expires_at").asString(""));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return links.controlLink(String.valueOf(job.get("id")), pausedAt, expires);
    }

    /** Whether links can be made (a service key is configured). */
    public boolean enabled() {
        return links.enabled();
    }

    /** A read-only link for a job not yet finished, with its expiry; empty without a key. */
    public Optional<LiveLinks.Link> watchLink(String jobId) {
        return links.watchLink(jobId, Instant.now());
    }

    /** The job row with {@code interaction_data.live_url} added when the job is paused. */
    public Map<String, Object> withLiveUrl(Map<String, Object> job) {
        control(job).ifPresent(url -> {
            if (job.get("interaction_data") instanceof ObjectNode i) {
                i.put("live_url", url);
            }
        });
        return job;
    }

    /**
     * Whether the link's query is valid for the job as it stands: signature and expiry, and for a
     * control link the pause it was made for still going on.
     */
    public boolean valid(Map<String, Object> job, String mode, String exp, String sig) {
        String bound = "control".equals(mode) ? pausedAt(job) : "watch".equals(mode) ? "" : null;
        return LiveLinks.verify(key, String.valueOf(job.get("id")), mode, exp, bound, sig);
    }
}
