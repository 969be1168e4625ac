package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.BrowserSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * One worker process's identity and limits.
 *
 * @param workerId its id: the {@code --worker-id} given, or {@code worker-<host>-<random>}
 * @param named whether the id was given, i.e. whether it serves {@code gh-worker-<id>}
 * @param concurrency jobs at once
 * @param statusPort port of {@code /worker/status}; 0 picks a free one
 * @param browser how to start Chromium
 * @param publicUrl the API's base URL for artifact links (asked when a link is made: a test's API
 *     port is known only once its server listens)
 * @param serviceKey {@code GH_SERVICE_KEY}: signs artifact links so browsers can open them; blank
 *     leaves them unsigned
 */
public record WorkerSettings(
    String workerId,
    boolean named,
    int concurrency,
    int statusPort,
    BrowserSettings browser,
    Supplier<String> publicUrl,
    String serviceKey) {

  public static final int MAX_ID_LENGTH = 100;

  public WorkerSettings {
    if (concurrency < 1) {
      throw new IllegalArgumentException("worker concurrency must be at least 1, got " + concurrency);
    }
  }

  /**
   * The id for a worker: {@code given} when set (it must be 1–100 characters of letters, digits and
   * {@code . _ -}, as it becomes part of a task-queue name), else an automatic one.
   */
  public static String idFor(String given) {
    if (given == null || given.isEmpty()) {
      return "worker-" + host() + "-" + HexFormat.of().formatHex(SecureRandom.getSeed(3));
    }
    if (given.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "--worker-id must be at most " + MAX_ID_LENGTH + " characters (got " + given.length() + ")");
    }
    if (!given.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "--worker-id may contain only letters, digits, '.', '_' and '-' (got '" + given + "')");
    }
    return given;
  }

  static String host() {
    try {
      String name = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
      int dot = name.indexOf('.');
      name = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^a-z0-9-]", "");
      return name.isEmpty() ? "host" : name;
    } catch (UnknownHostException e) {
      return "host";
    }
  }
}
