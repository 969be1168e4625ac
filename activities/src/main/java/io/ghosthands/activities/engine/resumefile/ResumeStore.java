package io.ghosthands.activities.engine.resumefile;

import java.nio.file.Path;

/**
 * A bucket that {@code resume_ref.storage_path} and {@code s3_key} name objects in: S3 or an
 * S3-compatible store ({@link S3ResumeStore}), or Supabase Storage by its own API
 * ({@link SupabaseResumeStore}). {@link ResumeFiles} checks each key before it gets here (no
 * {@code ..}, no absolute path, no URL) and checks the content afterwards, so a store only fetches.
 */
public interface ResumeStore extends AutoCloseable {

    /**
     * What this store is, for messages and logs: its kind, bucket and address, never a credential
     * (e.g. {@code S3 bucket "resumes" at http://127.0.0.1:9000}).
     */
    String describe();

    /**
     * Copies the object at {@code key} to {@code target}. An object larger than {@code maxBytes} is
     * refused by its declared size before its body is read, and otherwise as soon as the stream
     * passes the limit.
     *
     * @return the object's content type as the store declares it, or {@code ""}
     * @throws ResumeStoreException saying why not: missing, refused, too large, unreachable
     */
    String copy(String key, Path target, long maxBytes) throws ResumeStoreException;

    /** Releases the store's client; the default has nothing to release. */
    @Override
    default void close() {}
}
