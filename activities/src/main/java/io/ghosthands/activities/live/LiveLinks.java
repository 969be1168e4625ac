package io.ghosthands.activities.live;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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
    if (serviceKey == null || serviceKey.isBlank()) {
      return null;
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(("gh-live-links:" + serviceKey).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether links can be made (a service key is configured). */
  public boolean enabled() {
    return key != null;
  }

  /** The link a human solves a pause through, valid until the pause expires. */
  public Optional<String> control(String jobId, String pausedAt, Instant expires) {
    if (key == null || pausedAt == null || expires == null) {
      return Optional.empty();
    }
    return Optional.of(link(jobId, "control", expires.getEpochSecond(), pausedAt));
  }

  /** A read-only link to watch the job's page, for {@link #WATCH_SECONDS}. */
  public Optional<String> watch(String jobId, Instant now) {
    if (key == null) {
      return Optional.empty();
    }
    return Optional.of(link(jobId, "watch", now.getEpochSecond() + WATCH_SECONDS, ""));
  }

  private String link(String jobId, String mode, long exp, String bound) {
    String base = publicUrl.get();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return base + ROUTE + jobId + "?mode=" + mode + "&exp=" + exp + "&sig=" + sign(key, jobId, mode, exp, bound);
  }

  /**
   * Whether {@code sig} signs this link and its expiry is still ahead.
   *
   * @param bound the pause's {@code paused_at} for control links, blank for watch links
   */
  public static boolean verify(byte[] key, String jobId, String mode, String exp, String bound, String sig) {
    if (key == null || jobId == null || mode == null || exp == null || sig == null || bound == null) {
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
    return MessageDigest.isEqual(sign(key, jobId, mode, until, bound).getBytes(StandardCharsets.US_ASCII),
        sig.getBytes(StandardCharsets.US_ASCII));
  }

  static String sign(byte[] key, String jobId, String mode, long exp, String bound) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      String payload = jobId + "\n" + mode + "\n" + exp + "\n" + bound;
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
