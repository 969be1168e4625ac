package io.ghosthands.activities.engine.resumefile;

import static io.ghosthands.activities.engine.resumefile.ResumeTemp.cleanup;
import static io.ghosthands.activities.engine.resumefile.ResumeTemp.finish;
import static io.ghosthands.activities.engine.resumefile.ResumeTemp.megabytes;
import static io.ghosthands.activities.engine.resumefile.ResumeTemp.tempDir;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A résumé's {@code download_url} fetched to a temporary file: http(s) only, each hop (redirects
 * followed by hand) checked against the outbound URL policy before it is requested, the body capped
 * and the whole transfer under one time limit.
 */
final class ResumeDownload {

    private final HttpClient http;
    private final Duration timeout;
    private final long maxBytes;
    private final OutboundUrlPolicy policy;

    ResumeDownload(Duration timeout, long maxBytes, OutboundUrlPolicy policy) {
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.policy = policy;
        this.http = HttpClient.newBuilder()
                // followed by hand, so that each hop is checked against the policy before it is connected to
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .build();
    }

    ResumeFile download(String raw) {
        URI uri = httpUri(raw);
        String where = redact(uri);
        refuseIfBlocked(uri, "The résumé download_url " + where);
        Path dir = tempDir();
        Path part = dir.resolve("download.part");
        long deadline = System.nanoTime() + timeout.toNanos();
        URI current = uri;
        HttpResponse<Path> response;
        for (int redirects = 0; ; redirects++) {
            response = fetch(current, part, deadline, dir, where);
            URI next = redirectTarget(response, current, dir, where);
            if (next == null) {
                break;
            }
            if (redirects >= ResumeFiles.MAX_REDIRECTS) {
                throw cleanup(
                        dir,
                        new ResumeUnavailableException(
                                "download_url",
                                "The résumé download from " + where + " was redirected more than "
                                        + ResumeFiles.MAX_REDIRECTS + " times"));
            }
            try {
                // every hop is held to the policy before anything connects to it
                refuseIfBlocked(
                        next, "The résumé download from " + where + " was redirected to " + redact(next) + ", which");
            } catch (ResumeUnavailableException e) {
                throw cleanup(dir, e);
            }
            current = next;
        }
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(
                            "download_url",
                            "The résumé could not be downloaded from " + where + ": HTTP " + response.statusCode()
                                    + (response.statusCode() == 404 ? " (not found)" : "")));
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String name =
                fileName(response.headers().firstValue("Content-Disposition").orElse(null), response.uri());
        return finish(
                dir,
                part,
                name,
                "download_url",
                "from " + where
                        + (contentType.isEmpty() ? "" : " (served as " + contentType.split(";")[0].trim() + ")"));
    }

    /** The download_url as an http(s) URI, or the résumé's failure naming what is wrong with it. */
    private static URI httpUri(String raw) {
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new ResumeUnavailableException("download_url", "The résumé download_url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new ResumeUnavailableException(
                    "download_url",
                    "The résumé download_url must be an http or https URL, not "
                            + (scheme.isEmpty() ? "\"" + redact(uri) + "\"" : scheme + ":"));
        }
        return uri;
    }

    /** Refuses a URL the outbound URL policy refuses (literal host and the addresses it resolves to). */
    private void refuseIfBlocked(URI uri, String what) {
        Optional<OutboundUrlPolicy.Refusal> refusal = policy.check(uri.toString());
        if (refusal.isPresent()) {
            throw new ResumeUnavailableException(
                    "download_url",
                    what + " is not an address jobs may reach (" + OutboundUrlPolicy.BLOCKED_ADDRESS + ": "
                            + refusal.get().message() + ")");
        }
    }

    /** One request of a download: a 2xx body goes to {@code part} (capped); other bodies are dropped. */
    private HttpResponse<Path> fetch(URI uri, Path part, long deadline, Path dir, String where) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(
                            "download_url",
                            "The résumé download from " + where + " took longer than " + timeout.toSeconds() + " s"));
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofNanos(left))
                .header(
                        "Accept",
                        "application/pdf, application/msword, " + ResumeFormat.DOCX.contentType() + ", */*;q=0.5")
                .header("User-Agent", "GhostHands/1.0 (resume fetch)")
                .GET()
                .build();
        CompletableFuture<HttpResponse<Path>> pending = http.sendAsync(request, info -> {
            if (info.statusCode() < 200 || info.statusCode() > 299) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return new CappedFileSubscriber(part, maxBytes, declared);
        });
        try {
            return pending.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(
                            "download_url",
                            "The résumé download from " + where + " took longer than " + timeout.toSeconds() + " s"));
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw cleanup(
                    dir, new ResumeUnavailableException("download_url", "The résumé download was interrupted", e));
        } catch (ExecutionException e) {
            throw cleanup(dir, downloadFailure(e.getCause(), where));
        }
    }

    /**
     * Where a redirect answer points, or null when the answer is not one. As a browser: relative
     * locations resolve against the URL asked, only http(s), never from https down to http.
     */
    private static URI redirectTarget(HttpResponse<?> response, URI from, Path dir, String where) {
        int status = response.statusCode();
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            return null;
        }
        Optional<String> location = response.headers().firstValue("Location");
        if (location.isEmpty() || location.get().isBlank()) {
            return null; // a 3xx without a place to go: reported as the HTTP status it is
        }
        URI next;
        try {
            next = from.resolve(new URI(location.get().trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(
                            "download_url", "The résumé download from " + where + " was redirected to an invalid URL"));
        }
        String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(
                            "download_url",
                            "The résumé download from " + where
                                    + " was redirected to a URL that is not http or https"));
        }
        if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(
                            "download_url",
                            "The résumé download from " + where + " was redirected from https to plain http"));
        }
        return next;
    }

    private ResumeUnavailableException downloadFailure(Throwable cause, String where) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CappedFileSubscriber.TooLargeException) {
                return new ResumeUnavailableException(
                        "download_url",
                        "The résumé at " + where + " is larger than the " + megabytes(maxBytes) + " limit");
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException
                    || t instanceof ConnectException
                    || t instanceof UnknownHostException) {
                return new ResumeUnavailableException(
                        "download_url",
                        "The résumé server " + where + " could not be reached ("
                                + t.getClass().getSimpleName() + ")",
                        cause);
            }
            if (t instanceof HttpTimeoutException) {
                return new ResumeUnavailableException(
                        "download_url",
                        "The résumé download from " + where + " took longer than " + timeout.toSeconds() + " s",
                        cause);
            }
        }
        return new ResumeUnavailableException(
                "download_url",
                "The résumé download from " + where + " failed: "
                        + (cause == null
                                ? "unknown error"
                                : cause.getClass().getSimpleName()
                                        + (cause.getMessage() == null ? "" : ": " + cause.getMessage())),
                cause);
    }

    private static final Pattern DISPOSITION_UTF8 = Pattern.compile("(?i)filename\\*\\s*=\\s*UTF-8''([^;]+)");
    private static final Pattern DISPOSITION = Pattern.compile("(?i)filename\\s*=\\s*\"?([^\";]+)\"?");

    /** The file's own name: from Content-Disposition, else the URL's last path segment. */
    static String fileName(String disposition, URI uri) {
        if (disposition != null) {
            Matcher m = DISPOSITION_UTF8.matcher(disposition);
            if (m.find()) {
                return URLDecoder.decode(m.group(1).trim(), StandardCharsets.UTF_8);
            }
            m = DISPOSITION.matcher(disposition);
            if (m.find()) {
                return m.group(1).trim();
            }
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The URL without its query and fragment (pre-signed URLs carry credentials there). */
    static String redact(URI uri) {
        String s = (uri.getScheme() == null ? "" : uri.getScheme() + "://")
                + (uri.getRawAuthority() == null ? "" : uri.getRawAuthority().replaceAll("^.*@", ""))
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return s.isEmpty() ? "(no URL)" : s;
    }
}
