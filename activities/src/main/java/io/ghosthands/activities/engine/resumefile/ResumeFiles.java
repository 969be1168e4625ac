package io.ghosthands.activities.engine.resumefile;

import static io.ghosthands.activities.engine.resumefile.ResumeTemp.cleanup;
import static io.ghosthands.activities.engine.resumefile.ResumeTemp.finish;
import static io.ghosthands.activities.engine.resumefile.ResumeTemp.megabytes;
import static io.ghosthands.activities.engine.resumefile.ResumeTemp.tempDir;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
    private final long maxBytes;
    private final ResumeDownload downloads;

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
    public ResumeFiles(
            Optional<ResumeStore> store,
            Optional<Path> storageRoot,
            Duration timeout,
            long maxBytes,
            OutboundUrlPolicy policy) {
        this.store = store;
        this.storageRoot = storageRoot;
        this.maxBytes = maxBytes;
        this.downloads = new ResumeDownload(timeout, maxBytes, Objects.requireNonNull(policy, "policy"));
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
            throw new ResumeUnavailableException(
                    "resume_ref", "resume_ref must be an object with download_url, storage_path or s3_key");
        }
        Map<?, ?> refs = ref == null ? Map.of() : (Map<?, ?>) ref;
        String url = text(refs.get("download_url"));
        if (url != null) {
            return Optional.of(downloads.download(url));
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

    // ---- storage_path, s3_key and resume_path

    /** What storage paths resolve against, for the start-up log: never a credential. */
    public String describeStorage() {
        if (store.isPresent()) {
            return store.get().describe();
        }
        return storageRoot
                .map(root -> "the folder " + root.toAbsolutePath())
                .orElse("nothing (no résumé storage configured)");
    }

    private ResumeFile fromStorage(String key, String source) {
        if (store.isPresent()) {
            return fromStore(store.get(), key, source);
        }
        if (storageRoot.isPresent()) {
            return fromFolder(storageRoot.get(), key, source);
        }
        throw new ResumeUnavailableException(
                source,
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
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(
                            source,
                            e.reason() == ResumeStoreException.Reason.TOO_LARGE
                                    ? "The résumé " + where + " is larger than the " + megabytes(maxBytes) + " limit"
                                    : "The résumé " + where + " could not be fetched: "
                                            + e.reason().text() + " (" + e.getMessage() + ")"));
        } catch (RuntimeException e) {
            // a store's client failing in a way it did not classify: named by class only, as its
            // message is not ours to vouch for
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(
                            source,
                            "The résumé " + where + " could not be fetched: store error ("
                                    + e.getClass().getSimpleName() + ")"));
        }
        String type = contentType == null ? "" : contentType.split(";")[0].trim();
        return finish(
                dir,
                part,
                key.substring(key.lastIndexOf('/') + 1),
                source,
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
            boolean escapes = form.startsWith("/")
                    || form.startsWith("\\")
                    || form.endsWith("/")
                    || form.matches("(?s)^[A-Za-z][A-Za-z0-9+.-]*:.*")
                    || form.length() > MAX_KEY_LENGTH
                    || form.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
            for (String segment : form.split("[/\\\\]", -1)) {
                escapes |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
            }
            if (escapes) {
                throw new ResumeUnavailableException(
                        source,
                        "The résumé " + source + " must stay inside the bucket:"
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
            throw new ResumeUnavailableException(
                    source,
                    "The résumé " + source + " must stay inside the storage folder (no absolute path, no \"..\")");
        }
        Path file = root.resolve(relative).normalize();
        try {
            Path realRoot = root.toRealPath();
            if (!Files.exists(file) || !file.toRealPath().startsWith(realRoot)) {
                // a symlink may point out of the folder: judged by where it really leads
                throw new ResumeUnavailableException(
                        source,
                        Files.exists(file)
                                ? "The résumé " + source + " leads outside the storage folder"
                                : "No résumé file at " + source + " " + storagePath);
            }
        } catch (IOException e) {
            throw new ResumeUnavailableException(
                    source, "The résumé storage folder cannot be read: " + e.getMessage(), e);
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
                throw new ResumeUnavailableException(
                        source,
                        "The résumé at " + source + " " + shown + " is larger than the " + megabytes(maxBytes)
                                + " limit");
            }
        } catch (IOException e) {
            throw new ResumeUnavailableException(
                    source, "The résumé at " + source + " " + shown + " cannot be read", e);
        }
        Path dir = tempDir();
        Path part = dir.resolve("copy.part");
        try {
            Files.copy(file, part, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(
                            source, "The résumé at " + source + " " + shown + " cannot be read", e));
        }
        return finish(dir, part, file.getFileName().toString(), source, "at " + source + " " + shown);
    }

    /** Releases the store's client, if there is a store. */
    @Override
    public void close() {
        store.ifPresent(ResumeStore::close);
    }

    /** The URL without its query and fragment (pre-signed URLs carry credentials there). */
    static String redact(URI uri) {
        return ResumeDownload.redact(uri);
    }

    private static String text(Object o) {
        return o == null || o.toString().isBlank() ? null : o.toString().trim();
    }
}
