package io.ghosthands.activities.callback;

import io.ghosthands.activities.live.LiveLinks;
import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.activities.store.JobEvent;
import io.ghosthands.activities.store.JobStore;
import io.ghosthands.activities.store.Json;
import io.ghosthands.workflows.FailureTypes;
import io.ghosthands.workflows.activity.CallbackActivities;
import io.ghosthands.workflows.payload.Callback;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs callbacks (contract section 3) to the job's {@code callback_url} exactly as given, query
 * string kept, signed: {@code X-GH-Timestamp} and {@code X-GH-Signature: sha256=<hex HMAC-SHA256 of
 * "timestamp.body">} with the callback secret, plus {@code X-GH-Service-Key} — only to the hosts
 * listed in {@code GH_CALLBACK_KEY_HOSTS}, so a job cannot collect the key by naming its own
 * receiver. One attempt per call; the workflow's retry policy does the backoff. Every attempt is a
 * job event ({@code callback_delivered} / {@code callback_failed}).
 *
 * <p>Before each attempt the URL and every address its host resolves to pass the
 * {@link OutboundUrlPolicy}; a refused one is not retried. The JDK client then resolves the name
 * again to connect: it gets the answer just checked from the JVM's address cache
 * ({@code networkaddress.cache.ttl}, 30 s by default), so a DNS answer that changes between the
 * check and the connection (rebinding) gets through only if that cache entry expires in between —
 * the residual risk, since the JDK client cannot be handed the checked address for https.
 */
public class CallbackActivitiesImpl implements CallbackActivities {

    public static final String USER_AGENT = "GhostHands-Callback/1.0";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final JobStore jobs;
    private final String serviceKey;
    private final byte[] secret;
    private final OutboundUrlPolicy policy;
    private final Set<String> keyHosts;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * @param serviceKey sent as {@code X-GH-Service-Key} to the {@code keyHosts} when not blank
     * @param callbackSecret the HMAC key ({@code GH_CALLBACK_SECRET}; blank: the service key)
     * @param policy what a callback URL may reach
     * @param keyHosts {@code GH_CALLBACK_KEY_HOSTS}: the receivers' hosts that get the service key
     */
    public CallbackActivitiesImpl(
            JobStore jobs,
            String serviceKey,
            String callbackSecret,
            OutboundUrlPolicy policy,
            Collection<String> keyHosts) {
        this.jobs = jobs;
        this.policy = policy;
        this.keyHosts = keyHosts(keyHosts);
        this.serviceKey = serviceKey == null ? "" : serviceKey;
        String key = callbackSecret == null || callbackSecret.isBlank() ? this.serviceKey : callbackSecret;
        this.secret = key.getBytes(StandardCharsets.UTF_8);
    }

    private volatile LiveLinks liveLinks;

    /** Adds the live page's link to {@code needs_human} callbacks (no link without a service key). */
    public CallbackActivitiesImpl withLiveLinks(LiveLinks links) {
        this.liveLinks = links;
        return this;
    }

    @Override
    public void deliver(Callback callback) {
        int attempt = Activity.getExecutionContext().getInfo().getAttempt();
        String body = Json.write(withLiveUrl(callback.body()));
        OutboundUrlPolicy.Checked checked = checkedTarget(callback, attempt);
        HttpRequest request = request(callback, attempt, body, checked);
        long started = System.nanoTime();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            long ms = (System.nanoTime() - started) / 1_000_000;
            record(
                    callback,
                    attempt,
                    "callback_failed",
                    "Callback " + callback.body().get("status") + " not delivered: "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    0,
                    ms);
            throw ApplicationFailure.newFailure("callback receiver unreachable: " + e, "callback_unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        }
        answered(callback, attempt, status, (System.nanoTime() - started) / 1_000_000);
    }

    /** The callback's address as the outbound policy allows it, or the attempt's failure. */
    private OutboundUrlPolicy.Checked checkedTarget(Callback callback, int attempt) {
        try {
            return policy.checked(callback.url(), true);
        } catch (OutboundUrlPolicy.Refused e) {
            record(
                    callback,
                    attempt,
                    "callback_failed",
                    "Callback URL refused: " + e.getMessage(),
                    0,
                    0,
                    Map.of(
                            "reason",
                            OutboundUrlPolicy.BLOCKED_ADDRESS,
                            "refused",
                            e.refusal().kind()));
            throw ApplicationFailure.newNonRetryableFailure(
                    "callback URL refused: " + e.getMessage(), FailureTypes.CALLBACK_REJECTED);
        } catch (UnknownHostException e) {
            // the receiver's name may come back: retried like an unreachable receiver
            record(
                    callback,
                    attempt,
                    "callback_failed",
                    "Callback " + callback.body().get("status") + " not delivered: the host does not resolve ("
                            + e.getMessage() + ")",
                    0,
                    0);
            throw ApplicationFailure.newFailure(
                    "callback host does not resolve: " + e.getMessage(), "callback_unreachable");
        }
    }

    /** The signed POST; the service key only for the hosts configured to receive it. */
    private HttpRequest request(Callback callback, int attempt, String body, OutboundUrlPolicy.Checked checked) {
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(callback.url()));
        } catch (IllegalArgumentException e) {
            record(callback, attempt, "callback_failed", "Callback URL is not usable: " + e.getMessage(), 0, 0);
            throw ApplicationFailure.newNonRetryableFailure(
                    "callback URL is not usable", FailureTypes.CALLBACK_REJECTED);
        }
        String timestamp = Long.toString(System.currentTimeMillis() / 1000);
        request.timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("X-GH-Timestamp", timestamp)
                .header("X-GH-Signature", "sha256=" + sign(timestamp, body))
                .header("X-GH-Event-Id", callback.eventId())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (!serviceKey.isBlank() && keyHosts.contains(checked.target().host())) {
            request.header("X-GH-Service-Key", serviceKey);
        }
        return request.build();
    }

    /** Records the receiver's answer; anything but 2xx fails the attempt (retried unless the receiver refused it). */
    private void answered(Callback callback, int attempt, int status, long ms) {
        if (status >= 200 && status < 300) {
            record(
                    callback,
                    attempt,
                    "callback_delivered",
                    "Callback " + callback.body().get("status") + " delivered",
                    status,
                    ms);
            return;
        }
        record(
                callback,
                attempt,
                "callback_failed",
                "Callback " + callback.body().get("status") + " answered HTTP " + status,
                status,
                ms);
        if (status >= 400 && status < 500 && status != 408 && status != 425 && status != 429) {
            // the receiver refuses this callback (bad auth, bad request): sending it again will not help
            throw ApplicationFailure.newNonRetryableFailure(
                    "callback refused with HTTP " + status, FailureTypes.CALLBACK_REJECTED);
        }
        throw ApplicationFailure.newFailure("callback answered HTTP " + status, "callback_http_" + status);
    }

    /**
     * A {@code needs_human} body with {@code interaction.live_url}: the signed link to the paused
     * page, valid for this pause only. VALET shows {@code kasm_url} as the live view in its "needs
     * human" push, so the link goes there too, with {@code browser_session_available}.
     */
    @SuppressWarnings("unchecked")
    Map<String, Object> withLiveUrl(Map<String, Object> body) {
        LiveLinks links = liveLinks;
        if (links == null
                || !links.enabled()
                || !"needs_human".equals(body.get("status"))
                || !(body.get("interaction") instanceof Map<?, ?> interaction)
                || !(interaction.get("paused_at") instanceof String pausedAt)
                || !(interaction.get("expires_at") instanceof String expiresAt)) {
            return body;
        }
        Instant expires;
        try {
            expires = Instant.parse(expiresAt);
        } catch (DateTimeParseException e) {
            return body;
        }
        String url = links.control(String.valueOf(body.get("job_id")), pausedAt, expires)
                .orElse(null);
        if (url == null) {
            return body;
        }
        Map<String, Object> out = new LinkedHashMap<>(body);
        Map<String, Object> withUrl = new LinkedHashMap<>((Map<String, Object>) interaction);
        withUrl.put("live_url", url);
        out.put("interaction", withUrl);
        out.put("kasm_url", url);
        out.put("browser_session_available", true);
        return out;
    }

    /** Hex HMAC-SHA256 of {@code timestamp + "." + body}. */
    public static String signature(byte[] secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private String sign(String timestamp, String body) {
        return signature(secret, timestamp, body);
    }

    /** Host names as the policy reads them: lower case, no brackets, no trailing dot. */
    static Set<String> keyHosts(Collection<String> hosts) {
        Set<String> out = new HashSet<>();
        if (hosts != null) {
            for (String host : hosts) {
                String h = host == null ? "" : host.strip().toLowerCase(Locale.ROOT);
                if (h.startsWith("[") && h.endsWith("]")) {
                    h = h.substring(1, h.length() - 1);
                }
                while (h.endsWith(".")) {
                    h = h.substring(0, h.length() - 1);
                }
                if (!h.isEmpty()) {
                    out.add(h);
                }
            }
        }
        return Set.copyOf(out);
    }

    private void record(Callback callback, int attempt, String type, String message, int httpStatus, long ms) {
        record(callback, attempt, type, message, httpStatus, ms, Map.of());
    }

    private void record(
            Callback callback,
            int attempt,
            String type,
            String message,
            int httpStatus,
            long ms,
            Map<String, Object> extra) {
        Map<String, Object> meta = new LinkedHashMap<>(extra);
        meta.put("callback_status", callback.body().get("status"));
        meta.put("callback_event_id", callback.eventId());
        meta.put("attempt", attempt);
        if (httpStatus > 0) {
            meta.put("http_status", httpStatus);
        }
        meta.put("duration_ms", ms);
        try {
            jobs.event(new JobEvent(
                    UUID.randomUUID().toString(), callback.jobId(), type, null, null, message, meta, "callbacks"));
        } catch (RuntimeException e) {
            // the event log is a record of attempts, not a condition of delivering
        }
    }
}
