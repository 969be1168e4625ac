package io.ghosthands.activities.engine.apply;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a scan for the way forward: the button that advances a step, the final submit, an apply
 * button on a job listing, and whether the page is a confirmation (with its text and id).
 */
final class FormNavigator {

    private FormNavigator() {}

    private static final Pattern NEXT = Pattern.compile(
            "^(next|continue|proceed|next step|next page|go to next step|continue to next step|save and next|save and continue"
                    + "|save and proceed|skip and continue|submit and continue|continue to review|review|review application"
                    + "|review my application|review and continue|continue to application|continue application|next section)$"
                    + "|^(next|continue|proceed|save and continue) to (the )?(next )?(step|page|section|review|questions|application)\\b.{0,20}$");
    private static final Pattern SUBMIT = Pattern.compile(
            "^(submit|submit application|submit my application|submit your application|submit this application|send application"
                    + "|send my application|send|complete application|finish|finish application|confirm and submit|submit and apply"
                    + "|apply|apply now|submit now|submit application now|complete and submit)$|^submit\\b(?! and continue)");
    private static final Pattern APPLY = Pattern.compile(
            "^(apply|apply now|apply for this job|apply for this position|apply for this role|apply to this job|apply online"
                    + "|apply here|start application|start your application|start applying|apply on company site|easy apply"
                    + "|i m interested|im interested|apply for job|apply to job|quick apply)$");
    private static final Pattern CONFIRM = Pattern.compile(
            "(?i)thanks? (you )?for (applying|your application|submitting)|application (has been |was )?(successfully )?"
                    + "(received|submitted|sent|completed?)\\b|we('| ha)ve (successfully )?received your application|we received your application"
                    + "|your application (has been|was|is) (successfully )?(submitted|received|sent|complete)|successfully (submitted|applied)"
                    + "|you('ve| have) (successfully )?applied|submission (received|successful)|application submitted"
                    + "|application (is|was) complete");
    private static final Pattern THANKS = Pattern.compile("(?i)\\bthank(s| you)\\b");
    private static final Pattern CONFIRM_ID =
            Pattern.compile("(?i)\\b(?:confirmation|reference|application|submission|tracking|candidate)\\s*"
                    + "(?:(?:number|no\\.?|id|code|#)\\s*(?:is\\s*)?[:#]?|[:#])\\s*([A-Z0-9][A-Z0-9_-]{3,40})");

    /** The button that takes the form one step further, if any (enabled ones first). */
    static Optional<PageScan.Button> next(PageScan scan) {
        return scan.buttons().stream()
                .filter(b -> NEXT.matcher(Text.normalize(b.text())).matches())
                .min((a, b) -> Boolean.compare(a.disabled(), b.disabled()));
    }

    /**
     * The final submit of an application form. "Apply" counts only as a form's submit button on a
     * page that has a form; on a listing it is the way in (see {@link #apply}).
     */
    static Optional<PageScan.Button> submit(PageScan scan, int fillableFields) {
        return scan.buttons().stream()
                .filter(b -> {
                    String t = Text.normalize(b.text());
                    if (!SUBMIT.matcher(t).find() || NEXT.matcher(t).matches()) {
                        return false;
                    }
                    if (t.startsWith("apply")) {
                        return fillableFields >= 2
                                && (b.type().equals("submit") || b.inForm())
                                && !b.tag().equals("a");
                    }
                    return !b.tag().equals("a") || fillableFields >= 1;
                })
                .min((a, b) -> Boolean.compare(a.disabled(), b.disabled()));
    }

    /** An apply button or link on a job listing. */
    static Optional<PageScan.Button> apply(PageScan scan) {
        return scan.buttons().stream()
                .filter(b ->
                        !b.disabled() && APPLY.matcher(Text.normalize(b.text())).matches())
                .findFirst();
    }

    /** Whether the page says the application went through. */
    static boolean confirmed(PageScan scan, int fillableFields) {
        return fillableFields <= 2 && CONFIRM.matcher(scan.text()).find();
    }

    /**
     * After our submit click, a plain "thank you" counts too once the form is gone (no submit button,
     * at most two fields left): many sites say no more than that.
     */
    static boolean confirmedAfterSubmit(PageScan scan, int fillableFields) {
        return confirmed(scan, fillableFields)
                || fillableFields <= 2
                        && submit(scan, fillableFields).isEmpty()
                        && next(scan).isEmpty()
                        && THANKS.matcher(scan.text()).find();
    }

    /** The sentence that confirms (its line, and the next one when the line is a short heading). */
    static String confirmationText(PageScan scan) {
        List<String> lines =
                scan.text().lines().map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (Pattern p : List.of(CONFIRM, THANKS)) {
            for (int i = 0; i < lines.size(); i++) {
                if (!p.matcher(lines.get(i)).find()) {
                    continue;
                }
                String t = lines.get(i);
                if (t.length() < 40 && i + 1 < lines.size()) {
                    t = t + " " + lines.get(i + 1);
                }
                return Text.clip(t, 300);
            }
        }
        return "";
    }

    /** A confirmation / reference number shown on the page (must contain a digit), or null. */
    static String confirmationId(PageScan scan) {
        Matcher m = CONFIRM_ID.matcher(scan.text());
        while (m.find()) {
            if (m.group(1).matches(".*\\d.*")) {
                return m.group(1);
            }
        }
        return null;
    }
}
