package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.PlaywrightException;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.workflows.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Attaches the job's résumé file to the form once: to the page's résumé file input, else through an
 * upload button's file chooser, else by dropping it on a drop zone. A required résumé field and no
 * file fails the job.
 */
final class ResumeAttach {

    private static final Pattern RESUME = Pattern.compile("(?i)r[ée]sum[ée]|\\bcv\\b|curriculum");
    private static final Pattern NOT_RESUME =
            Pattern.compile("(?i)cover|transcript|portfolio|photo|picture|writing|sample|certificate|other");
    private static final Pattern UPLOAD_BUTTON =
            Pattern.compile("(?i)upload|attach|choose file|select file|browse|add file");
    /** {@link #RESUME} in a form the browser's own regular expressions read (no inline flags). */
    private static final Pattern RESUME_TEXT =
            Pattern.compile("r[ée]sum[ée]|\\bcv\\b|curriculum", Pattern.CASE_INSENSITIVE);

    private static final String DROP_ZONE =
            "[class*=dropzone i], [class*=drop-zone i], [class*=drop_zone i], [data-testid*=dropzone i],"
                    + " [data-automation-id*=drop i], [aria-label*=drop i]";

    /** Whether the résumé was attached just now, or why the job cannot go on. */
    record Step(boolean attached, Outcome failure) {}

    static final Step NOTHING = new Step(false, null);
    private static final Step ATTACHED = new Step(true, null);

    private final ApplyAttempt a;

    ResumeAttach(ApplyAttempt attempt) {
        this.a = attempt;
    }

    /** Attaches the résumé once; a required résumé without a file fails the job. */
    Step attach(Frame frame, PageScan scan, FieldFiller filler) {
        List<FormField> files =
                scan.fields().stream().filter(f -> f.kind().equals("file")).toList();
        FormField target = files.stream()
                .filter(f -> RESUME.matcher(f.question() + " " + f.name() + " " + f.id())
                        .find())
                .findFirst()
                .orElse(files.stream()
                        .filter(f -> !NOT_RESUME
                                .matcher(f.question() + " " + f.name())
                                .find())
                        .findFirst()
                        .orElse(null));
        Path resume = a.spec.resumeFile();
        boolean haveFile = resume != null && Files.isRegularFile(resume);
        if (target != null) {
            return toInput(target, scan, filler, resume, haveFile);
        }
        // no file input in the DOM yet: an upload button that opens a file chooser
        if (!haveFile || a.resumeName != null) {
            return NOTHING;
        }
        Optional<PageScan.Button> button = scan.buttons().stream()
                .filter(b -> UPLOAD_BUTTON.matcher(b.text()).find()
                        && !NOT_RESUME.matcher(b.text()).find())
                .filter(b -> RESUME.matcher(b.text()).find()
                        || RESUME.matcher(scan.text()).find())
                .findFirst();
        if (button.isPresent()
                && filler.uploadThrough(frame.locator(button.get().selector()).first(), resume)) {
            a.resumeName = resume.getFileName().toString();
            a.filled.put("Resume", a.resumeName);
            a.ctx.event("resume_uploaded", "Attached " + a.resumeName + " through the file chooser", Map.of());
            return ATTACHED;
        }
        return dropOnZone(frame, scan, filler, resume);
    }

    /** The résumé set on the form's file input, unless it holds a file already. */
    private Step toInput(FormField target, PageScan scan, FieldFiller filler, Path resume, boolean haveFile) {
        String key = target.key() + "|" + scan.url();
        if (!target.isEmpty() || a.uploaded.contains(key)) {
            return NOTHING;
        }
        if (!haveFile) {
            if (target.required()) {
                return new Step(
                        false,
                        new Outcome.Failed(
                                ErrorCode.RESUME_UNAVAILABLE.code(),
                                "The form requires a résumé and the job has none",
                                Map.of("field", target.question())));
            }
            a.unansweredOptional.add(target.question());
            return NOTHING;
        }
        a.ctx.progress("uploading_resume", Math.min(85, 10 + 15 * a.pages.size()), "Attaching the résumé");
        if (!filler.upload(target, resume)) {
            return NOTHING;
        }
        a.uploaded.add(key);
        a.resumeName = resume.getFileName().toString();
        a.filled.put(target.question().isBlank() ? "Resume" : target.question(), a.resumeName);
        a.unansweredOptional.remove(target.question());
        a.ctx.event("resume_uploaded", "Attached " + a.resumeName, Map.of("field", target.question()));
        return ATTACHED;
    }

    /**
     * No input and no chooser: a zone that takes a file only by drag and drop, where the page asks for
     * a résumé; dropped as a person would, and kept only when the page then shows the file.
     */
    private Step dropOnZone(Frame frame, PageScan scan, FieldFiller filler, Path resume) {
        boolean dropped;
        try {
            Locator zone = frame.locator(DROP_ZONE)
                    .filter(new Locator.FilterOptions().setHasText(RESUME_TEXT))
                    .first();
            dropped = RESUME.matcher(scan.text()).find() && zone.count() > 0 && filler.dropOn(zone, resume);
        } catch (PlaywrightException e) {
            dropped = false; // a zone that went away or will not take it: as if there were none
        }
        if (dropped) {
            a.resumeName = resume.getFileName().toString();
            a.filled.put("Resume", a.resumeName);
            a.ctx.event("resume_uploaded", "Dropped " + a.resumeName + " on the résumé drop zone", Map.of());
            return ATTACHED;
        }
        return NOTHING;
    }
}
