package io.ghosthands.activities.store;

import io.ghosthands.activities.net.LinkSigner;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Links to artifacts that a browser can open without the service key: {@code
 * …/artifacts/<id>?expires=<epoch s>&sig=<HMAC-SHA256>}, valid until {@code expires}. The signing key
 * is derived from the service key ({@link LinkSigner}), so every API node and worker that shares
 * {@code GH_SERVICE_KEY} makes and accepts the same links; without a key, links are plain and need
 * the header.
 */
public final class ArtifactLinks {

    /** The API path that serves an artifact, followed by its id. */
    public static final String ROUTE = "/api/v1/gh/artifacts/";

    private final Supplier<String> publicUrl;
    private final byte[] signingKey;
    private final Duration ttl;

    /**
     * @param publicUrl the API's base URL as clients reach it ({@code GH_PUBLIC_URL})
     * @param serviceKey {@code GH_SERVICE_KEY}, or blank for unsigned links
     * @param ttl how long a link works
     */
    public ArtifactLinks(Supplier<String> publicUrl, String serviceKey, Duration ttl) {
        this.publicUrl = publicUrl;
        this.signingKey = keyFrom(serviceKey);
        this.ttl = ttl;
    }

    /** The signing key for a service key (null when there is none). */
    public static byte[] keyFrom(String serviceKey) {
        return LinkSigner.key("gh-artifact-links", serviceKey);
    }

    /** A link to the artifact, signed when a key is configured. */
    public String url(UUID artifactId) {
        String base = publicUrl.get();
        String link = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + ROUTE + artifactId;
        if (signingKey == null) {
            return link;
        }
        long expires = Instant.now().plus(ttl).getEpochSecond();
        return link + "?expires=" + expires + "&sig=" + sign(signingKey, artifactId.toString(), expires);
    }

    /** Whether {@code sig} signs {@code artifactId} until {@code expires} and that is still ahead. */
    public static boolean verify(byte[] key, String artifactId, String expires, String sig) {
        return LinkSigner.verify(key, expires, until -> payload(artifactId, until), sig);
    }

    /** The hex HMAC-SHA256 of {@code <artifactId>.<expires>}. */
    public static String sign(byte[] key, String artifactId, long expires) {
        return LinkSigner.sign(key, payload(artifactId, expires));
    }

    private static String payload(String artifactId, long expires) {
        return artifactId + "." + expires;
    }
}
