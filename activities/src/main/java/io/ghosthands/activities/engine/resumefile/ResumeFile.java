package io.ghosthands.activities.engine.resumefile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A résumé fetched for one job: a private copy in a temporary folder of its own, named as the
 * candidate's file was (so upload forms show "Jane_Doe_CV.pdf", not a temp name). The caller owns
 * it and must {@link #close()} it when the job's attempt ends (try-with-resources); closing deletes
 * the file and its folder.
 *
 * @param path the local file, for {@code JobSpec.resumeFile} and upload inputs
 * @param format what the content is
 * @param source the reference it came from: {@code download_url}, {@code storage_path},
 *     {@code s3_key} or {@code resume_path}
 */
public record ResumeFile(Path path, ResumeFormat format, String source) implements AutoCloseable {

    /** Deletes the copy and its temporary folder; safe to call twice. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(path);
            Path dir = path.getParent();
            if (dir != null && dir.getFileName().toString().startsWith(ResumeFiles.TEMP_PREFIX)) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the résumé copy " + path, e);
        }
    }
}
