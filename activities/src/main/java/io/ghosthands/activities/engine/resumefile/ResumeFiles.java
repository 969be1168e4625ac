package io.ghosthands.activities.engine.resumefile;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import java.io.IOException;
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
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a job's résumé to a local file before the browser needs it.
 *
 * <p>Reads the job's {@code input_data}: {@code resume_ref} ({@code {download_url | storage_path |
 * s3_key}}, first non-blank one in that order; empty strings count as absent, as the contract asks)
 * or else {@code resume_path} (a file on this worker). A download must be http(s) and pass the
 * {@link OutboundUrlPolicy}; redirects are followed (at most {@value #MAX_REDIRECTS}, never from
 * https to http), each hop checked against the policy before it is requested; the body is streamed to disk and cut off past
 * {@link #MAX_BYTES}, and the whole transfer has a time limit. A {@code storage_path} or
 * {@code s3_key} is a key in the configured {@link ResumeStore} (S3 or Supabase Storage; see
 * {@link ResumeStorage} for which one) or, without one, a path relative to the configured storage
 * folder; either way it may not leave its bucket or folder (absolute paths, {@code ..}, URLs,
 * symlinks out). Whatever the source, the content must be a PDF, DOC or DOCX by its bytes.
 *
 * <p>No résumé given → empty. Anything wrong → {@link ResumeUnavailableException}
 * ({@code resume_unavailable}) naming the source and why. The file returned is a private temporary
 * copy the caller closes; {@link #close()} releases the store's client.
 */
public final class ResumeFiles implements AutoCloseable {

  /** The largest résumé accepted: 10 MiB, which is more than any job site takes. */
  public static final long MAX_BYTES = 10L * 1024 * 1024;
  /** Default limit for a whole download (connect, headers and body). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  static final String TEMP_PREFIX = "gh-resume-";

  /** The longest key S3 allows; Supabase's are shorter still. */
  static final int MAX_KEY_LENGTH = 1024;

  private final Optional<ResumeStore> store;
  private final Optional<Path> storageRoot;
  private final HttpClient http;
  private final Duration timeout;
  private final long maxBytes;
  private final OutboundUrlPolicy policy;

  /** Redirects a download follows, as browsers cap them; each hop is checked against the policy. */
  static final int MAX_REDIRECTS = 10;

  /**
   * @param storageRoot the folder {@code resume_ref.storage_path} is relative to, or empty when this
   *     worker has none (then a storage_path is an error, not a guess)
   */
  public ResumeFiles(Optional<Path> storageRoot) {
    this(storageRoot, DEFAULT_TIMEOUT, MAX_BYTES);
  }

  /**
   * @param storageRoot as above
   * @param timeout limit for a whole download
   * @param maxBytes largest file accepted
   */
  public ResumeFiles(Optional<Path> storageRoot, Duration timeout, long maxBytes) {
    this(Optional.empty(), storageRoot, timeout, maxBytes);
  }

  /** As {@link #ResumeFiles(Optional, Optional, Duration, long, OutboundUrlPolicy)} with the strict policy. */
  public ResumeFiles(Optional<ResumeStore> store, Optional<Path> storageRoot, Duration timeout, long maxBytes) {
    this(store, storageRoot, timeout, maxBytes, OutboundUrlPolicy.strict());
  }

  /**
   * @param store the bucket {@code storage_path}s and {@code s3_key}s name objects in; when present
   *     it answers them and {@code storageRoot} is not used (this object closes it)
   * @param storageRoot the folder they are relative to when there is no store
   * @param timeout limit for a whole download
   * @param maxBytes largest file accepted
   * @param policy what a {@code download_url} and each redirect it leads to may reach (the same
   *     outbound URL policy as a job's pages): checked before each request
   */
  public ResumeFiles(Optional<ResumeStore> store, Optional<Path> storageRoot, Duration timeout, long maxBytes,
      OutboundUrlPolicy policy) {
    this.policy = java.util.Objects.requireNonNull(policy, "policy");
    this.store = store;
    this.storageRoot = storageRoot;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.http = HttpClient.newBuilder()
        // followed by hand, so that each hop is checked against the policy before it is connected to
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
        .build();
  }

  /**
   * The job's résumé as a local temporary copy, or empty when the job names none.
   *
   * @throws ResumeUnavailableException when one is named but cannot be used
   */
  public Optional<ResumeFile> resolve(Map<String, Object> inputData) {
    if (inputData == null) {
      return Optional.empty();
    }
    Object ref = inputData.get("resume_ref");
    if (ref != null && !(ref instanceof Map)) {
      throw new ResumeUnavailableException("resume_ref", "resume_ref must be an object with download_url, storage_path or s3_key");
    }
    Map<?, ?> refs = ref == null ? Map.of() : (Map<?, ?>) ref;
    String url = text(refs.get("download_url"));
    if (url != null) {
      return Optional.of(download(url));
    }
    String storagePath = text(refs.get("storage_path"));
    if (storagePath != null) {
      return Optional.of(fromStorage(storagePath, "storage_path"));
    }
    String s3Key = text(refs.get("s3_key"));
    if (s3Key != null) {
      return Optional.of(fromStorage(s3Key, "s3_key"));
    }
    String local = text(inputData.get("resume_path"));
    if (local != null) {
      return Optional.of(fromLocal(local));
    }
    return Optional.empty();
  }

  // ---- download_url

  private ResumeFile download(String raw) {
    URI uri;
    try {
      uri = new URI(raw.trim());
    } catch (URISyntaxException e) {
      throw new ResumeUnavailableException("download_url", "The résumé download_url is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new ResumeUnavailableException("download_url",
          "The résumé download_url must be an http or https URL, not " + (scheme.isEmpty() ? "\"" + redact(uri) + "\"" : scheme + ":"));
    }
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
      if (redirects >= MAX_REDIRECTS) {
        throw cleanup(dir, new ResumeUnavailableException("download_url",
            "The résumé download from " + where + " was redirected more than " + MAX_REDIRECTS + " times"));
      }
      try {
        // every hop is held to the policy before anything connects to it
        refuseIfBlocked(next, "The résumé download from " + where + " was redirected to " + redact(next) + ", which");
      } catch (ResumeUnavailableException e) {
        throw cleanup(dir, e);
      }
      current = next;
    }
    if (response.statusCode() < 200 || response.statusCode() > 299) {
      throw cleanup(dir, new ResumeUnavailableException("download_url",
          "The résumé could not be downloaded from " + where + ": HTTP " + response.statusCode()
              + (response.statusCode() == 404 ? " (not found)" : "")));
    }
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    String name = fileName(response.headers().firstValue("Content-Disposition").orElse(null), response.uri());
    return finish(dir, part, name, "download_url", "from " + where
        + (contentType.isEmpty() ? "" : " (served as " + contentType.split(";")[0].trim() + ")"));
  }

  /** Refuses a URL the outbound URL policy refuses (literal host and the addresses it resolves to). */
  private void refuseIfBlocked(URI uri, String what) {
    Optional<OutboundUrlPolicy.Refusal> refusal = policy.check(uri.toString());
    if (refusal.isPresent()) {
      throw new ResumeUnavailableException("download_url",
          what + " is not an address jobs may reach (" + OutboundUrlPolicy.BLOCKED_ADDRESS + ": "
              + refusal.get().message() + ")");
    }
  }

  /** One request of a download: a 2xx body goes to {@code part} (capped); other bodies are dropped. */
  private HttpResponse<Path> fetch(URI uri, Path part, long deadline, Path dir, String where) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw cleanup(dir, new ResumeUnavailableException("download_url",
          "The résumé download from " + where + " took longer than " + timeout.toSeconds() + " s"));
    }
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofNanos(left))
        .header("Accept", "application/pdf, application/msword, " + ResumeFormat.DOCX.contentType() + ", */*;q=0.5")
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
      throw cleanup(dir, new ResumeUnavailableException("download_url",
          "The résumé download from " + where + " took longer than " + timeout.toSeconds() + " s"));
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw cleanup(dir, new ResumeUnavailableException("download_url", "The résumé download was interrupted", e));
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
      throw cleanup(dir, new ResumeUnavailableException("download_url",
          "The résumé download from " + where + " was redirected to an invalid URL"));
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
      throw cleanup(dir, new ResumeUnavailableException("download_url",
          "The résumé download from " + where + " was redirected to a URL that is not http or https"));
    }
    if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
      throw cleanup(dir, new ResumeUnavailableException("download_url",
          "The résumé download from " + where + " was redirected from https to plain http"));
    }
    return next;
  }

  private ResumeUnavailableException downloadFailure(Throwable cause, String where) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof CappedFileSubscriber.TooLargeException) {
        return new ResumeUnavailableException("download_url",
            "The résumé at " + where + " is larger than the " + megabytes(maxBytes) + " limit");
      }
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException || t instanceof UnknownHostException) {
        return new ResumeUnavailableException("download_url",
            "The résumé server " + where + " could not be reached (" + t.getClass().getSimpleName() + ")", cause);
      }
      if (t instanceof HttpTimeoutException) {
        return new ResumeUnavailableException("download_url",
            "The résumé download from " + where + " took longer than " + timeout.toSeconds() + " s", cause);
      }
    }
    return new ResumeUnavailableException("download_url",
        "The résumé download from " + where + " failed: " + (cause == null ? "unknown error" : cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage())), cause);
  }

  // ---- storage_path, s3_key and resume_path

  /** What storage paths resolve against, for the start-up log: never a credential. */
  public String describeStorage() {
    if (store.isPresent()) {
      return store.get().describe();
    }
    return storageRoot.map(root -> "the folder " + root.toAbsolutePath()).orElse("nothing (no résumé storage configured)");
  }

  private ResumeFile fromStorage(String key, String source) {
    if (store.isPresent()) {
      return fromStore(store.get(), key, source);
    }
    if (storageRoot.isPresent()) {
      return fromFolder(storageRoot.get(), key, source);
    }
    throw new ResumeUnavailableException(source,
        "The résumé is given as resume_ref." + source + ", but this worker has no résumé storage configured"
            + " (GH_RESUME_S3_BUCKET, SUPABASE_URL with SUPABASE_SERVICE_ROLE_KEY, or GH_RESUME_DIR);"
            + " send a download_url instead");
  }

  private ResumeFile fromStore(ResumeStore bucket, String raw, String source) {
    String key = bucketKey(raw, source);
    String where = "at " + source + " " + key + " in " + bucket.describe();
    Path dir = tempDir();
    Path part = dir.resolve("object.part");
    String contentType;
    try {
      contentType = bucket.copy(key, part, maxBytes);
    } catch (ResumeStoreException e) {
      throw cleanup(dir, new ResumeUnavailableException(source, e.reason() == ResumeStoreException.Reason.TOO_LARGE
          ? "The résumé " + where + " is larger than the " + megabytes(maxBytes) + " limit"
          : "The résumé " + where + " could not be fetched: " + e.reason().text() + " (" + e.getMessage() + ")"));
    } catch (RuntimeException e) {
      // a store's client failing in a way it did not classify: named by class only, as its
      // message is not ours to vouch for
      throw cleanup(dir, new ResumeUnavailableException(source,
          "The résumé " + where + " could not be fetched: store error (" + e.getClass().getSimpleName() + ")"));
    }
    String type = contentType == null ? "" : contentType.split(";")[0].trim();
    return finish(dir, part, key.substring(key.lastIndexOf('/') + 1), source,
        where + (type.isEmpty() ? "" : " (stored as " + type + ")"));
  }

  /**
   * The key as given, once it is sure to name an object inside the bucket: relative, without
   * {@code .} or {@code ..} segments (also percent-encoded ones), not a URL, no empty segment, no
   * control character. Checked before any request, so an escape never reaches the store.
   */
  static String bucketKey(String raw, String source) {
    String key = raw.trim();
    String decoded;
    try {
      decoded = URLDecoder.decode(key.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = key; // a stray % is a literal character of the key
    }
    for (String form : new String[] {key, decoded}) {
      boolean escapes = form.startsWith("/") || form.startsWith("\\") || form.endsWith("/")
          || form.matches("(?s)^[A-Za-z][A-Za-z0-9+.-]*:.*") || form.length() > MAX_KEY_LENGTH
          || form.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
      for (String segment : form.split("[/\\\\]", -1)) {
        escapes |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
      }
      if (escapes) {
        throw new ResumeUnavailableException(source, "The résumé " + source + " must stay inside the bucket:"
            + " a key such as users/42/cv.pdf (no absolute path, no \"..\", no URL, no empty segment)");
      }
    }
    return key;
  }

  private ResumeFile fromFolder(Path root, String storagePath, String source) {
    Path relative;
    try {
      relative = Path.of(storagePath);
    } catch (InvalidPathException e) {
      throw new ResumeUnavailableException(source, "The résumé " + source + " is not a valid path");
    }
    boolean climbs = false;
    for (Path part : relative) {
      climbs |= part.toString().equals("..");
    }
    if (relative.isAbsolute() || storagePath.startsWith("/") || storagePath.startsWith("\\") || climbs) {
      throw new ResumeUnavailableException(source,
          "The résumé " + source + " must stay inside the storage folder (no absolute path, no \"..\")");
    }
    Path file = root.resolve(relative).normalize();
    try {
      Path realRoot = root.toRealPath();
      if (!Files.exists(file) || !file.toRealPath().startsWith(realRoot)) {
        // a symlink may point out of the folder: judged by where it really leads
        throw new ResumeUnavailableException(source,
            Files.exists(file) ? "The résumé " + source + " leads outside the storage folder"
                : "No résumé file at " + source + " " + storagePath);
      }
    } catch (IOException e) {
      throw new ResumeUnavailableException(source, "The résumé storage folder cannot be read: " + e.getMessage(), e);
    }
    return copyLocal(file, source, storagePath);
  }

  private ResumeFile fromLocal(String path) {
    Path file;
    try {
      file = Path.of(path);
    } catch (InvalidPathException e) {
      throw new ResumeUnavailableException("resume_path", "The resume_path is not a valid path");
    }
    if (!Files.exists(file)) {
      throw new ResumeUnavailableException("resume_path", "No résumé file at resume_path " + path);
    }
    return copyLocal(file, "resume_path", path);
  }

  private ResumeFile copyLocal(Path file, String source, String shown) {
    if (!Files.isRegularFile(file)) {
      throw new ResumeUnavailableException(source, "The résumé at " + source + " " + shown + " is not a file");
    }
    try {
      if (Files.size(file) > maxBytes) {
        throw new ResumeUnavailableException(source,
            "The résumé at " + source + " " + shown + " is larger than the " + megabytes(maxBytes) + " limit");
      }
    } catch (IOException e) {
      throw new ResumeUnavailableException(source, "The résumé at " + source + " " + shown + " cannot be read", e);
    }
    Path dir = tempDir();
    Path part = dir.resolve("copy.part");
    try {
      Files.copy(file, part, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw cleanup(dir, new ResumeUnavailableException(source, "The résumé at " + source + " " + shown + " cannot be read", e));
    }
    return finish(dir, part, file.getFileName().toString(), source, "at " + source + " " + shown);
  }

  /** Releases the store's client, if there is a store. */
  @Override
  public void close() {
    store.ifPresent(ResumeStore::close);
  }

  // ---- common

  /** Checks the content and gives the copy its final name; removes the folder when the content is no résumé. */
  private ResumeFile finish(Path dir, Path part, String suggestedName, String source, String where) {
    Optional<ResumeFormat> format;
    try {
      format = ResumeFormat.detect(part);
    } catch (IOException e) {
      throw cleanup(dir, new ResumeUnavailableException(source, "The résumé " + where + " cannot be read", e));
    }
    if (format.isEmpty()) {
      throw cleanup(dir, new ResumeUnavailableException(source,
          "The résumé " + where + " is not a PDF, DOC or DOCX file"));
    }
    Path target = dir.resolve(safeName(suggestedName, format.get()));
    try {
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw cleanup(dir, new ResumeUnavailableException(source, "The résumé copy could not be written", e));
    }
    return new ResumeFile(target, format.get(), source);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory(TEMP_PREFIX);
    } catch (IOException e) {
      throw new ResumeUnavailableException("resume", "No temporary folder for the résumé: " + e.getMessage(), e);
    }
  }

  private static ResumeUnavailableException cleanup(Path dir, ResumeUnavailableException e) {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // the temp folder is the system's to reap; the résumé error is what matters
    }
    return e;
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

  /** A name safe on any file system, ending in the format's extension; "resume.pdf" when nothing is left. */
  static String safeName(String name, ResumeFormat format) {
    String base = name == null ? "" : name.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    base = base.replaceAll("[^\\p{L}\\p{N}._ -]", "_").replaceAll("^[.\\s]+", "").trim();
    // whatever extension it had gives way to the one its content proves
    base = base.replaceFirst("\\.[A-Za-z0-9]{1,5}$", "");
    if (base.length() > 80) {
      base = base.substring(0, 80).trim();
    }
    return (base.isEmpty() ? "resume" : base) + "." + format.extension();
  }

  /** The URL without its query and fragment (pre-signed URLs carry credentials there). */
  static String redact(URI uri) {
    String s = (uri.getScheme() == null ? "" : uri.getScheme() + "://") + (uri.getRawAuthority() == null ? "" : uri.getRawAuthority().replaceAll("^.*@", ""))
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
    return s.isEmpty() ? "(no URL)" : s;
  }

  private static String megabytes(long bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
  }

  private static String text(Object o) {
    return o == null || o.toString().isBlank() ? null : o.toString().trim();
  }
}
