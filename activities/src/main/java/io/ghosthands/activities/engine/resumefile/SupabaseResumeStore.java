package io.ghosthands.activities.engine.resumefile;

import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Résumés in Supabase Storage, fetched by its own REST API as VALET deploys it: {@code GET
 * {SUPABASE_URL}/storage/v1/object/{bucket}/{key}} with the service-role key as bearer token (and as
 * {@code apikey}, the header Supabase's API gateway reads keys from).
 *
 * <p>Supabase reports errors as JSON ({@code {"statusCode":"404","error":"not_found","message":
 * "Object not found"}}), and its older releases answer a missing object or a bad token with HTTP
 * 400, the real status only in the body: both are read. Redirects are not followed, so the key is
 * sent to the configured host only.
 */
public final class SupabaseResumeStore implements ResumeStore {

    /**
     * Where the project is. {@link #toString()} never shows the key.
     *
     * @param url the project URL, {@code SUPABASE_URL} (e.g. {@code https://abcd.supabase.co})
     * @param serviceRoleKey {@code SUPABASE_SERVICE_ROLE_KEY}
     * @param bucket the bucket, {@code GH_RESUME_BUCKET}; blank: {@value #DEFAULT_BUCKET}
     */
    public record Config(String url, String serviceRoleKey, String bucket) {

        public static final Config NONE = new Config("", "", "");

        /** Whether Supabase Storage is configured: both the URL and the key are set. */
        public boolean configured() {
            return !blank(url) && !blank(serviceRoleKey);
        }

        @Override
        public String toString() {
            URI uri = blank(url) ? null : parse(url);
            return "SupabaseResumeStore.Config[url="
                    + (blank(url) ? "" : uri == null ? "(invalid)" : ResumeFiles.redact(uri)) + ", serviceRoleKey="
                    + (blank(serviceRoleKey) ? "" : "(set)") + ", bucket=" + bucket + "]";
        }
    }

    /** The bucket VALET keeps résumés in. */
    public static final String DEFAULT_BUCKET = "resumes";

    private static final int ERROR_BODY_BYTES = 4096;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String key;
    private final String bucket;
    private final Duration timeout;
    private final HttpClient http;
    private final String description;

    /**
     * @param config the project; must be {@link Config#configured()}
     * @param timeout limit for one whole fetch
     * @throws IllegalArgumentException for a URL that cannot work (the message does not repeat it)
     */
    public SupabaseResumeStore(Config config, Duration timeout) {
        if (!config.configured()) {
            throw new IllegalArgumentException("SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY are both needed");
        }
        URI uri = parse(config.url());
        String scheme =
                uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "SUPABASE_URL must be the project's http or https URL, such as https://abcd.supabase.co");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(
                    "SUPABASE_URL must not carry credentials or a query; the key is SUPABASE_SERVICE_ROLE_KEY");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        this.base = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
        this.key = config.serviceRoleKey().trim();
        this.bucket = blank(config.bucket()) ? DEFAULT_BUCKET : config.bucket().trim();
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .build();
        this.description = "Supabase Storage bucket \"" + bucket + "\" at " + ResumeFiles.redact(base);
    }

    @Override
    public String describe() {
        return description;
    }

    /** The download URL of {@code key}: each path segment percent-encoded, so none is read as a separator or {@code ..}. */
    URI objectUri(String objectKey) {
        StringBuilder path =
                new StringBuilder(base.toString()).append("/storage/v1/object/").append(encode(bucket));
        for (String segment : objectKey.split("/", -1)) {
            path.append('/').append(encode(segment));
        }
        return URI.create(path.toString());
    }

    @Override
    public String copy(String objectKey, Path target, long maxBytes) throws ResumeStoreException {
        HttpRequest request = HttpRequest.newBuilder(objectUri(objectKey))
                .timeout(timeout)
                .header("Authorization", "Bearer " + key)
                .header("apikey", key)
                .header("User-Agent", "GhostHands/1.0 (resume fetch)")
                .GET()
                .build();
        CompletableFuture<HttpResponse<Object>> pending = http.sendAsync(request, info -> {
            if (info.statusCode() == 200) {
                long declared =
                        info.headers().firstValueAsLong("Content-Length").orElse(-1);
                return HttpResponse.BodySubscribers.mapping(
                        new CappedFileSubscriber(target, maxBytes, declared), p -> (Object) p);
            }
            return HttpResponse.BodySubscribers.mapping(new HeadSubscriber(ERROR_BODY_BYTES), b -> (Object) b);
        });
        HttpResponse<Object> response;
        try {
            response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new ResumeStoreException(
                    ResumeStoreException.Reason.UNREACHABLE, "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new ResumeStoreException(ResumeStoreException.Reason.FAILED, "interrupted");
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        }
        if (response.statusCode() == 200) {
            return response.headers().firstValue("Content-Type").orElse("");
        }
        throw refused(response.statusCode(), (byte[]) response.body());
    }

    /** An error answer, classified by the status in its JSON body (Supabase's own) or else the HTTP one. */
    private ResumeStoreException refused(int http, byte[] body) {
        String status = String.valueOf(http);
        String error = "";
        String message = "";
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null && json.isObject()) {
                status = json.path("statusCode").asText(status);
                error = json.path("error").asText("");
                message = json.path("message").asText("");
            }
        } catch (JacksonException e) {
            // not JSON (a gateway's page): the HTTP status is all there is
        }
        String lower = (error + " " + message).toLowerCase(Locale.ROOT);
        String detail = scrub("HTTP " + http + (status.equals(String.valueOf(http)) ? "" : ", statusCode " + status)
                + (error.isEmpty() ? "" : " " + error) + (message.isEmpty() ? "" : ": " + message));
        ResumeStoreException.Reason reason;
        if (http == 404
                || status.equals("404")
                || lower.contains("not_found")
                || lower.contains("not found")
                || lower.contains("nosuchkey")) {
            reason = ResumeStoreException.Reason.NOT_FOUND;
        } else if (http == 401
                || http == 403
                || status.equals("401")
                || status.equals("403")
                || lower.contains("unauthorized")
                || lower.contains("jwt")
                || lower.contains("signature")
                || lower.contains("access denied")
                || lower.contains("authorization")) {
            reason = ResumeStoreException.Reason.ACCESS_DENIED;
        } else if (http == 413 || status.equals("413") || lower.contains("too large")) {
            reason = ResumeStoreException.Reason.TOO_LARGE;
        } else if (http == 502 || http == 503 || http == 504) {
            reason = ResumeStoreException.Reason.UNREACHABLE;
        } else {
            reason = ResumeStoreException.Reason.FAILED;
        }
        return new ResumeStoreException(reason, detail);
    }

    private ResumeStoreException failed(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CappedFileSubscriber.TooLargeException) {
                return new ResumeStoreException(ResumeStoreException.Reason.TOO_LARGE, "more than the limit");
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException
                    || t instanceof ConnectException
                    || t instanceof UnknownHostException) {
                return new ResumeStoreException(
                        ResumeStoreException.Reason.UNREACHABLE, t.getClass().getSimpleName());
            }
            if (t instanceof HttpTimeoutException) {
                return new ResumeStoreException(
                        ResumeStoreException.Reason.UNREACHABLE, "no answer within " + timeout.toSeconds() + " s");
            }
        }
        return new ResumeStoreException(
                ResumeStoreException.Reason.FAILED,
                cause == null ? "unknown error" : cause.getClass().getSimpleName());
    }

    /** A server's words, cut short, on one line, and without the key should a server ever echo it. */
    private String scrub(String text) {
        String s = text.replace(key, "[redacted]")
                .replaceAll("(?i)bearer\\s+\\S+", "Bearer [redacted]")
                .replaceAll("\\p{Cntrl}", " ");
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    private static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static URI parse(String raw) {
        try {
            return new URI(raw.trim());
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Keeps the first bytes of a body (an error document) and lets the rest go. */
    private static final class HeadSubscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final byte[] head;
        private int length;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        HeadSubscriber(int max) {
            head = new byte[max];
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), head.length - length);
                b.get(head, length, n);
                length += n;
            }
            if (length == head.length) {
                subscription.cancel();
                done();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            done(); // the start of an error document is as good as the whole
        }

        @Override
        public void onComplete() {
            done();
        }

        private void done() {
            result.complete(Arrays.copyOf(head, length));
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
