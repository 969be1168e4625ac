package io.ghosthands.activities.engine.resume;

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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches a job's résumé to a local file before the browser needs it.
 *
 * <p>Reads the job's {@code input_data}: {@code resume_ref} ({@code {download_url | storage_path |
 * s3_key}}, first non-blank one in that order; empty strings count as absent, as the contract asks)
 * or else {@code resume_path} (a file on this worker). A download must be http(s); redirects are
 * followed (never from https to http), the body is streamed to disk and cut off past
 * {@link #MAX_BYTES}, and the whole transfer has a time limit. A {@code storage_path} is relative to
 * the configured storage folder and may not leave it (absolute paths, {@code ..}, symlinks out).
 * Whatever the source, the content must be a PDF, DOC or DOCX by its bytes.
 *
 * <p>No résumé given → empty. Anything wrong → {@link ResumeUnavailableException}
 * ({@code resume_unavailable}). The file returned is a private temporary copy the caller closes.
 */
public final class ResumeFiles {

  /** The largest résumé accepted: 10 MiB, which is more than any job site takes. */
  public static final long MAX_BYTES = 10L * 1024 * 1024;
  /** Default limit for a whole download (connect, headers and body). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  static final String TEMP_PREFIX = "gh-resume-";

  private final Optional<Path> storageRoot;
  private final HttpClient http;
  private final Duration timeout;
  private final long maxBytes;

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
    this.storageRoot = storageRoot;
    this.timeout = timeout;
    this.maxBytes = maxBytes;
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
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
      return Optional.of(fromStorage(storagePath));
    }
    if (text(refs.get("s3_key")) != null) {
      throw new ResumeUnavailableException("s3_key",
          "The résumé is given as resume_ref.s3_key, but this worker has no object store configured to fetch it from;"
              + " send a download_url or storage_path instead");
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
    Path dir = tempDir();
    Path part = dir.resolve("download.part");
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(timeout)
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
    HttpResponse<Path> response;
    try {
      response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

  private ResumeUnavailableException downloadFailure(Throwable cause, String where) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof TooLargeException) {
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

  // ---- storage_path and resume_path

  private ResumeFile fromStorage(String storagePath) {
    Path root = storageRoot.orElseThrow(() -> new ResumeUnavailableException("storage_path",
        "The résumé is given as resume_ref.storage_path, but this worker has no résumé storage folder configured"));
    Path relative;
    try {
      relative = Path.of(storagePath);
    } catch (InvalidPathException e) {
      throw new ResumeUnavailableException("storage_path", "The résumé storage_path is not a valid path");
    }
    boolean climbs = false;
    for (Path part : relative) {
      climbs |= part.toString().equals("..");
    }
    if (relative.isAbsolute() || storagePath.startsWith("/") || storagePath.startsWith("\\") || climbs) {
      throw new ResumeUnavailableException("storage_path",
          "The résumé storage_path must stay inside the storage folder (no absolute path, no \"..\")");
    }
    Path file = root.resolve(relative).normalize();
    try {
      Path realRoot = root.toRealPath();
      if (!Files.exists(file) || !file.toRealPath().startsWith(realRoot)) {
        // a symlink may point out of the folder: judged by where it really leads
        throw new ResumeUnavailableException("storage_path",
            Files.exists(file) ? "The résumé storage_path leads outside the storage folder"
                : "No résumé file at storage_path " + storagePath);
      }
    } catch (IOException e) {
      throw new ResumeUnavailableException("storage_path", "The résumé storage folder cannot be read: " + e.getMessage(), e);
    }
    return copyLocal(file, "storage_path", storagePath);
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

  /** The body went past the size limit. */
  private static final class TooLargeException extends IOException {
    TooLargeException(long bytes) {
      super("résumé larger than allowed (" + bytes + " bytes so far)");
    }
  }

  /** Streams a response body to a file and gives up as soon as it grows past the limit. */
  private static final class CappedFileSubscriber implements HttpResponse.BodySubscriber<Path> {
    private final Path file;
    private final long max;
    private final long declared;
    private final CompletableFuture<Path> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private FileChannel channel;
    private long written;

    CappedFileSubscriber(Path file, long max, long declared) {
      this.file = file;
      this.max = max;
      this.declared = declared;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (declared > max) {
        fail(new TooLargeException(declared)); // said so up front: no need to read any of it
        return;
      }
      try {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
      } catch (IOException e) {
        fail(e);
        return;
      }
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      try {
        for (ByteBuffer b : buffers) {
          written += b.remaining();
          if (written > max) {
            fail(new TooLargeException(written));
            return;
          }
          while (b.hasRemaining()) {
            channel.write(b);
          }
        }
        subscription.request(1);
      } catch (IOException e) {
        fail(e);
      }
    }

    @Override
    public void onError(Throwable t) {
      close();
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      close();
      result.complete(file);
    }

    @Override
    public CompletionStage<Path> getBody() {
      return result;
    }

    private void fail(IOException e) {
      subscription.cancel();
      close();
      result.completeExceptionally(e);
    }

    private void close() {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException ignored) {
        // the outcome is already decided; the folder is deleted with the failure
      }
    }
  }
}
