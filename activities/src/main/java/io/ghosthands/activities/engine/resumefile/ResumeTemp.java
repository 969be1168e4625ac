package io.ghosthands.activities.engine.resumefile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The private temporary folder a résumé copy is made in: created, its content checked and the copy
 * named by the format its bytes prove, or removed with what is in it when something is wrong.
 */
final class ResumeTemp {

    private ResumeTemp() {}

    /** Checks the content and gives the copy its final name; removes the folder when the content is no résumé. */
    static ResumeFile finish(Path dir, Path part, String suggestedName, String source, String where) {
        Optional<ResumeFormat> format;
        try {
            format = ResumeFormat.detect(part);
        } catch (IOException e) {
            throw cleanup(dir, new ResumeUnavailableException(source, "The résumé " + where + " cannot be read", e));
        }
        if (format.isEmpty()) {
            throw cleanup(
                    dir,
                    new ResumeUnavailableException(source, "The résumé " + where + " is not a PDF, DOC or DOCX file"));
        }
        Path target = dir.resolve(safeName(suggestedName, format.get()));
        try {
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw cleanup(dir, new ResumeUnavailableException(source, "The résumé copy could not be written", e));
        }
        return new ResumeFile(target, format.get(), source);
    }

    static Path tempDir() {
        try {
            return Files.createTempDirectory(ResumeFiles.TEMP_PREFIX);
        } catch (IOException e) {
            throw new ResumeUnavailableException("resume", "No temporary folder for the résumé: " + e.getMessage(), e);
        }
    }

    static ResumeUnavailableException cleanup(Path dir, ResumeUnavailableException e) {
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

    /** A name safe on any file system, ending in the format's extension; "resume.pdf" when nothing is left. */
    static String safeName(String name, ResumeFormat format) {
        String base = name == null ? "" : name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        base = base.replaceAll("[^\\p{L}\\p{N}._ -]", "_")
                .replaceAll("^[.\\s]+", "")
                .trim();
        // whatever extension it had gives way to the one its content proves
        base = base.replaceFirst("\\.[A-Za-z0-9]{1,5}$", "");
        if (base.length() > 80) {
            base = base.substring(0, 80).trim();
        }
        return (base.isEmpty() ? "resume" : base) + "." + format.extension();
    }

    static String megabytes(long bytes) {
        return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes + " bytes";
    }
}
