package io.ghosthands.activities.engine.resumefile;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a worker looks up the résumés that {@code resume_ref.storage_path} and {@code s3_key} name.
 * One place answers, the first configured of: an S3 bucket ({@code GH_RESUME_S3_BUCKET}), Supabase
 * Storage ({@code SUPABASE_URL} with {@code SUPABASE_SERVICE_ROLE_KEY}), a local folder
 * ({@code GH_RESUME_DIR}). The S3 bucket comes first because it is set for GhostHands alone, while
 * the Supabase variables may be in the environment for other reasons; the folder is last, for
 * development. {@link #toString()} never shows a credential.
 *
 * @param s3 the S3 (or S3-compatible) bucket, or {@link S3ResumeStore.Config#NONE}
 * @param supabase the Supabase project, or {@link SupabaseResumeStore.Config#NONE}
 * @param folder the local folder, or blank
 */
public record ResumeStorage(S3ResumeStore.Config s3, SupabaseResumeStore.Config supabase, String folder) {

    /** Nothing configured: storage paths are refused with a message naming the settings. */
    public static final ResumeStorage NONE =
            new ResumeStorage(S3ResumeStore.Config.NONE, SupabaseResumeStore.Config.NONE, "");

    public ResumeStorage {
        s3 = s3 == null ? S3ResumeStore.Config.NONE : s3;
        supabase = supabase == null ? SupabaseResumeStore.Config.NONE : supabase;
        folder = folder == null ? "" : folder.trim();
    }

    /**
     * The résumé fetcher for this configuration, with the default time and size limits.
     *
     * @throws IllegalArgumentException when the chosen store's settings cannot work (the message
     *     names the setting, never a secret)
     */
    public ResumeFiles open() {
        return open(ResumeFiles.DEFAULT_TIMEOUT, ResumeFiles.MAX_BYTES);
    }

    /** As {@link #open()}, downloads held to {@code policy} instead of the strict one. */
    public ResumeFiles open(OutboundUrlPolicy policy) {
        return open(ResumeFiles.DEFAULT_TIMEOUT, ResumeFiles.MAX_BYTES, policy);
    }

    /** As {@link #open()}, with other limits. */
    public ResumeFiles open(Duration timeout, long maxBytes) {
        return open(timeout, maxBytes, OutboundUrlPolicy.strict());
    }

    /** As {@link #open()}, with other limits and policy. */
    public ResumeFiles open(Duration timeout, long maxBytes, OutboundUrlPolicy policy) {
        ResumeStore store = null;
        if (s3.configured()) {
            store = new S3ResumeStore(s3, timeout);
        } else if (supabase.configured()) {
            store = new SupabaseResumeStore(supabase, timeout);
        }
        Optional<Path> root = store == null && !folder.isEmpty() ? Optional.of(Path.of(folder)) : Optional.empty();
        return new ResumeFiles(Optional.ofNullable(store), root, timeout, maxBytes, policy);
    }

    /**
     * One line for the worker's start-up log: what storage paths resolve against, and which other
     * configured places are ignored.
     */
    public String describe(ResumeFiles files) {
        List<String> ignored = new ArrayList<>();
        if (s3.configured()) {
            if (supabase.configured()) {
                ignored.add("SUPABASE_URL");
            }
            if (!folder.isEmpty()) {
                ignored.add("GH_RESUME_DIR");
            }
        } else if (supabase.configured() && !folder.isEmpty()) {
            ignored.add("GH_RESUME_DIR");
        }
        return "résumé storage paths resolve against " + files.describeStorage()
                + (ignored.isEmpty() ? "" : " (" + String.join(" and ", ignored) + " set too, and not used for them)");
    }
}
