package io.ghosthands.activities.callback;

import io.ghosthands.activities.store.JobEvent;
import io.ghosthands.activities.store.JobStore;
import io.ghosthands.activities.store.Json;
import io.ghosthands.workflows.JobWorkflowImpl;
import io.ghosthands.workflows.activity.CallbackActivities;
import io.ghosthands.workflows.payload.Callback;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs callbacks (contract section 3) to the job's {@code callback_url} exactly as given, query
 * string kept, signed: {@code X-GH-Timestamp} and {@code X-GH-Signature: sha256=<hex HMAC-SHA256 of
 * "timestamp.body">} with the callback secret, plus {@code X-GH-Service-Key} when a service key is
 * configured. One attempt per call; the workflow's retry policy does the backoff. Every attempt is a
 * job event ({@code callback_delivered} / {@code callback_failed}).
 */
public class CallbackActivitiesImpl implements CallbackActivities {

  public static final String USER_AGENT = "GhostHands-Callback/1.0";
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final JobStore jobs;
  private final String serviceKey;
  private final byte[] secret;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

  /**
   * @param serviceKey sent as {@code X-GH-Service-Key} when not blank
   * @param callbackSecret the HMAC key ({@code GH_CALLBACK_SECRET}; blank: the service key)
   */
  public CallbackActivitiesImpl(JobStore jobs, String serviceKey, String callbackSecret) {
    this.jobs = jobs;
    this.serviceKey = serviceKey == null ? "" : serviceKey;
    String key = callbackSecret == null || callbackSecret.isBlank() ? this.serviceKey : callbackSecret;
    this.secret = key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void deliver(Callback callback) {
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    String body = Json.write(callback.body());
    String timestamp = Long.toString(System.currentTimeMillis() / 1000);
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(callback.url()));
    } catch (IllegalArgumentException e) {
      record(callback, attempt, "callback_failed", "Callback URL is not usable: " + e.getMessage(), 0, 0);
      throw ApplicationFailure.newNonRetryableFailure("callback URL is not usable", JobWorkflowImpl.CALLBACK_REJECTED);
    }
    request
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("User-Agent", USER_AGENT)
        .header("X-GH-Timestamp", timestamp)
        .header("X-GH-Signature", "sha256=" + sign(timestamp, body))
        .header("X-GH-Event-Id", callback.eventId())
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (!serviceKey.isBlank()) {
      request.header("X-GH-Service-Key", serviceKey);
    }
    long started = System.nanoTime();
    int status;
    try {
      status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      long ms = (System.nanoTime() - started) / 1_000_000;
      record(callback, attempt, "callback_failed", "Callback " + callback.body().get("status") + " not delivered: "
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), 0, ms);
      throw ApplicationFailure.newFailure("callback receiver unreachable: " + e, "callback_unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Activity.wrap(e);
    }
    long ms = (System.nanoTime() - started) / 1_000_000;
    if (status >= 200 && status < 300) {
      record(callback, attempt, "callback_delivered", "Callback " + callback.body().get("status") + " delivered",
          status, ms);
      return;
    }
    record(callback, attempt, "callback_failed",
        "Callback " + callback.body().get("status") + " answered HTTP " + status, status, ms);
    if (status >= 400 && status < 500 && status != 408 && status != 425 && status != 429) {
      // the receiver refuses this callback (bad auth, bad request): sending it again will not help
      throw ApplicationFailure.newNonRetryableFailure("callback refused with HTTP " + status,
          JobWorkflowImpl.CALLBACK_REJECTED);
    }
    throw ApplicationFailure.newFailure("callback answered HTTP " + status, "callback_http_" + status);
  }

  /** Hex HMAC-SHA256 of {@code timestamp + "." + body}. */
  public static String signature(byte[] secret, String timestamp, String body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private String sign(String timestamp, String body) {
    return signature(secret, timestamp, body);
  }

  private void record(Callback callback, int attempt, String type, String message, int httpStatus, long ms) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("callback_status", callback.body().get("status"));
    meta.put("callback_event_id", callback.eventId());
    meta.put("attempt", attempt);
    if (httpStatus > 0) {
      meta.put("http_status", httpStatus);
    }
    meta.put("duration_ms", ms);
    try {
      jobs.event(new JobEvent(UUID.randomUUID().toString(), callback.jobId(), type, null, null, message, meta,
          "callbacks"));
    } catch (RuntimeException e) {
      // the event log is a record of attempts, not a condition of delivering
    }
  }
}
