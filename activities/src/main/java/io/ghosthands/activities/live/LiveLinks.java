package io.ghosthands.activities.live;

import io.ghosthands.activities.net.LinkSigner;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Links to a job's live page: {@code <public url>/live/<job id>?mode=control|watch&exp=<epoch s>&sig=<hex>}.
 * The link holds no key, only an HMAC-SHA256 (key derived from the service key) over the job id, the
 * mode, the expiry and — for control — the pause it was made for ({@code interaction_data.paused_at}).
 * So a control link works only for that job, only until the pause's own expiry, and dies when the
 * pause ends (resume, cancel, time-out: the job is no longer paused with that {@code paused_at}). A
 * watch link (read-only) works while the job is not finished, until its expiry.
 */
public final class LiveLinks {

    /** The page's path, followed by the job id. */
    public static final String ROUTE = "/live/";

    /** Longest life of a watch link. */
    public static final long WATCH_SECONDS = 3600;

    private final Supplier<String> publicUrl;
    private final byte[] key;

    /**
     * @param publicUrl the API's base URL as people reach it ({@code GH_PUBLIC_URL})
     * @param serviceKey {@code GH_SERVICE_KEY}; blank: no links at all (nothing to sign them with)
     */
    public LiveLinks(Supplier<String> publicUrl, String serviceKey) {
        this.publicUrl = publicUrl;
        this.key = keyFrom(serviceKey);
    }

    /** The signing key for a service key, or null when there is none. */
    public static byte[] keyFrom(String serviceKey) {
        return LinkSigner.key("gh-live-links", serviceKey);
    }

    /** A signed link and the moment it stops working. */
    public record Link(String url, Instant expires) {}

    /** Whether links can be made (a service key is configured). */
    public boolean enabled() {
        return key != null;
    }

    /** The link a human solves a pause through, valid until the pause expires. */
    public Optional<String> control(String jobId, String pausedAt, Instant expires) {
        return controlLink(jobId, pausedAt, expires).map(Link::url);
    }

    /** {@link #control}, with its expiry. */
    public Optional<Link> controlLink(String jobId, String pausedAt, Instant expires) {
        if (key == null || pausedAt == null || expires == null) {
            return Optional.empty();
        }
        return Optional.of(link(jobId, "control", expires.getEpochSecond(), pausedAt));
    }

    /** A read-only link to watch the job's page, for {@link #WATCH_SECONDS}. */
    public Optional<String> watch(String jobId, Instant now) {
        return watchLink(jobId, now).map(Link::url);
    }

    /** {@link #watch}, with its expiry. */
    public Optional<Link> watchLink(String jobId, Instant now) {
        if (key == null) {
            return Optional.empty();
        }
        return Optional.of(link(jobId, "watch", now.getEpochSecond() + WATCH_SECONDS, ""));
    }

    private Link link(String jobId, String mode, long exp, String bound) {
        String base = publicUrl.get();
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String url =
                base + ROUTE + jobId + "?mode=" + mode + "&exp=" + exp + "&sig=" + sign(key, jobId, mode, exp, bound);
        return new Link(url, Instant.ofEpochSecond(exp));
    }

    /**
     * Whether {@code sig} signs this link and its expiry is still ahead.
     *
     * @param bound the pause's {@code paused_at} for control links, blank for watch links
     */
    public static boolean verify(byte[] key, String jobId, String mode, String exp, String bound, String sig) {
        if (jobId == null || mode == null || bound == null) {
            return false;
        }
        return LinkSigner.verify(key, exp, until -> payload(jobId, mode, until, bound), sig);
    }

    static String sign(byte[] key, String jobId, String mode, long exp, String bound) {
        return LinkSigner.sign(key, payload(jobId, mode, exp, bound));
    }

    private static String payload(String jobId, String mode, long exp, String bound) {
        return jobId + "\n" + mode + "\n" + exp + "\n" + bound;
    }
}
