package io.ghosthands.activities.net;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.function.LongFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs links that work without the service key until they expire (artifact links, live links):
 * an HMAC-SHA256 over what the link names and its expiry, with a key derived from the service key
 * for one kind of link, so that every API node and worker sharing {@code GH_SERVICE_KEY} makes and
 * accepts the same links and a signature of one kind is worth nothing for another.
 */
public final class LinkSigner {

    private LinkSigner() {}

    /** The signing key for {@code purpose}'s links (e.g. {@code gh-live-links}), or null without a service key. */
    public static byte[] key(String purpose, String serviceKey) {
        if (serviceKey == null || serviceKey.isBlank()) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((purpose + ":" + serviceKey).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hex HMAC-SHA256 of {@code payload}. */
    public static String sign(byte[] key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether {@code sig} signs the payload made for the expiry {@code exp} (epoch seconds, as the
     * link carries it) and that expiry is still ahead; false for anything missing or malformed.
     */
    public static boolean verify(byte[] key, String exp, LongFunction<String> payload, String sig) {
        if (key == null || exp == null || sig == null) {
            return false;
        }
        long until;
        try {
            until = Long.parseLong(exp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (until < Instant.now().getEpochSecond()) {
            return false;
        }
        return MessageDigest.isEqual(
                sign(key, payload.apply(until)).getBytes(StandardCharsets.US_ASCII),
                sig.getBytes(StandardCharsets.US_ASCII));
    }
}
