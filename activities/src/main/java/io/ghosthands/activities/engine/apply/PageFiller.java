package io.ghosthands.activities.engine.apply;

import static io.ghosthands.activities.engine.apply.FieldWording.ACCEPTANCE;
import static io.ghosthands.activities.engine.apply.FieldWording.ACCEPTED_TEXT;
import static io.ghosthands.activities.engine.apply.FieldWording.ACKNOWLEDGES;
import static io.ghosthands.activities.engine.apply.FieldWording.CONSENT;
import static io.ghosthands.activities.engine.apply.FieldWording.DECLINE;
import static io.ghosthands.activities.engine.apply.FieldWording.MARKETING;
import static io.ghosthands.activities.engine.apply.FieldWording.PHONE_CODE;
import static io.ghosthands.activities.engine.apply.FieldWording.TERSE_DECLINES;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.PageQuiet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills one page of a form: its repeated entries added, the résumé attached, every visible field it
 * has an answer for filled (a page's draft values kept unless the profile says otherwise, marketing
 * opt-ins unticked, required consents ticked), in passes while answers reveal follow-up questions;
 * then lists the required questions left without an answer.
 */
final class PageFiller {

    private final ApplyAttempt a;
    private final RepeatedEntries entries;
    private final ResumeAttach resume;

    PageFiller(ApplyAttempt attempt) {
        this.a = attempt;
        this.entries = new RepeatedEntries(attempt);
        this.resume = new ResumeAttach(attempt);
    }

    /** What filling a page left: the latest scan, required questions without answer, or a failure. */
    record PageFill(Frame frame, PageScan scan, List<String> missing, Outcome failure) {}

    /** What one pass over a page's fields did: changed a field, or found the page re-rendered under it. */
    private record Pass(boolean changed, boolean stale) {}

    PageFill fillPage(Page p, FieldScanner.Scanned s, boolean refill) {
        Frame frame = s.frame();
        PageScan scan = s.scan();
        boolean parsing = false; // a résumé went in during this pass: the site may be parsing it
        boolean checkTyped = false; // a parse may have prefilled over what was typed: look again
        for (int pass = 0; pass < 4; pass++) {
            PageContext here = PageContext.of(scan);
            a.jobCountries.addAll(here.countries());
            a.book.onPage(here.withCountries(a.jobCountries));
            FieldFiller filler = new FieldFiller(p, frame);
            PageScan withEntries = !parsing && !refill ? entries.addEntries(p, filler, frame, scan) : null;
            if (withEntries != null) {
                // the work-history and education parts got an entry per job and school: fill them on a fresh look
                scan = withEntries;
            }
            a.book.entries(entries.assign(scan));
            ResumeAttach.Step attached = resume.attach(frame, scan, filler);
            if (attached.failure() != null) {
                return new PageFill(frame, scan, List.of(), attached.failure());
            }
            // Sites parse an attached résumé and prefill fields. The engine types on meanwhile (the
            // profile is the truth, and waiting for the parse costs every job), looks before each field
            // whether the form re-rendered, and after the pass waits for the parse and types again
            // whatever it put over the profile's answers.
            parsing |= attached.attached();
            a.filling = scan;
            Pass done = fillFields(p, frame, filler, scan, refill, checkTyped, attached.attached(), parsing);
            filler.blurTyped();
            checkTyped = false;
            if (!attached.attached() && !done.changed() && !done.stale()) {
                break;
            }
            if (parsing) {
                // a parse request may take seconds: it counts as the page's work for that long
                PageQuiet.await(p, ApplyEngine.QUIET_MS, ApplyEngine.RESUME_PARSE_MS, ApplyEngine.RESUME_PARSE_MS);
                parsing = false;
                checkTyped = true;
            } else {
                PageQuiet.await(p, ApplyEngine.FOLLOW_UP_QUIET_MS, 1000);
            }
            scan = a.scanner.scan(frame); // answers can reveal follow-up questions
        }
        return unanswered(frame, scan);
    }

    /**
     * One pass over the page's fields. Typing into a field leaves the form as it was; a pick, a click,
     * an upload or a parse (its requests still running or just answered) may re-render it. Only then
     * is the scan checked before using it, a round trip a field.
     *
     * @param look the form may have re-rendered since the scan (a résumé went in just now)
     */
    private Pass fillFields(
            Page p,
            Frame frame,
            FieldFiller filler,
            PageScan scan,
            boolean refill,
            boolean checkTyped,
            boolean look,
            boolean parsing) {
        boolean changed = false;
        for (FormField f : scan.fields()) {
            if (!f.visible() || f.kind().equals("file")) {
                continue;
            }
            boolean redo = refill && f.invalid() && a.filledKeys.contains(f.key());
            boolean overwritten = checkTyped
                    && !f.isEmpty()
                    && a.typed.containsKey(f.key())
                    && !ApplyAttempt.sameText(f.value(), a.typed.get(f.key()));
            boolean draft = !f.isEmpty()
                    && !redo
                    && !overwritten
                    && !a.filledKeys.contains(f.key())
                    && !a.report.containsKey(f.key());
            // a national number only once the page's own country-code field says the candidate's code
            boolean phoneCode = phoneCodeSet(scan);
            if (draft && optsOut(f)) {
                if (filler.uncheck(f)) {
                    a.note(f, "unchecked", "", "privacy");
                    a.ctx.event(
                            "opt_in_unchecked",
                            "Unticked the optional \"" + Text.clip(f.question(), 120) + "\"",
                            Map.of());
                    changed = true;
                }
                continue;
            }
            if (draft && !replacesDraft(f, phoneCode)) {
                a.note(f, "kept", f.secret() ? "********" : f.value(), "page");
                continue;
            }
            if (!f.isEmpty() && !redo && !overwritten && !draft) {
                continue;
            }
            if (a.attempts.getOrDefault(f.key(), 0) >= (refill ? 3 : 2)) {
                continue;
            }
            boolean parseBusy = parsing && PageQuiet.networkQuietMs(p, ApplyEngine.RESUME_PARSE_MS) < 300;
            if ((look || parseBusy) && frame.locator(f.selector()).count() == 0) {
                return new Pass(changed, true); // the page re-rendered under the scan
            }
            String shown = fillOne(filler, f, redo, phoneCode);
            look = !f.kind().equals("text");
            if (shown != null) {
                changed = true;
                a.record(f, shown);
            }
        }
        return new Pass(changed, false);
    }

    /** The page as filled: its required questions still empty, its optional ones noted as unanswered. */
    private PageFill unanswered(Frame frame, PageScan scan) {
        List<String> missing = new ArrayList<>();
        a.book.entries(entries.assign(scan));
        a.filling = scan;
        for (FormField f : PageWalker.fillable(scan)) {
            boolean empty = f.kind().equals("checkbox") ? !"checked".equals(f.value()) : f.isEmpty();
            if (!empty) {
                a.unansweredOptional.remove(RepeatedEntries.missingQuestion(a, f, scan));
                continue;
            }
            if (!a.report.containsKey(f.key())
                    || !f.kind().equals("file")
                            && a.report.get(f.key()).status().equals("kept")) {
                a.note(f, "unanswered", "", ""); // every field seen is reported, uploads other than the résumé too
            }
            if (f.required()) {
                missing.add(RepeatedEntries.missingQuestion(a, f, scan));
            } else if (!f.kind().equals("checkbox")) {
                a.unansweredOptional.add(RepeatedEntries.missingQuestion(a, f, scan));
            }
        }
        return new PageFill(frame, scan, Text.distinct(missing), null);
    }

    /**
     * Fills one field; returns what it shows now, or null when it stays as it was.
     *
     * @param phoneCode the page has its own country-code field, so phone numbers go in without it
     */
    private String fillOne(FieldFiller filler, FormField f, boolean redo, boolean phoneCode) {
        a.attempts.merge(f.key(), 1, Integer::sum);
        Optional<Answer> answer = entries.entryAnswer(f).or(() -> a.book.answer(f, phoneCode));
        if (f.kind().equals("checkbox")) {
            return fillBox(filler, f, answer);
        }
        if (answer.isEmpty()) {
            return withoutAnswer(filler, f);
        }
        return fillAnswer(filler, f, answer.get(), redo);
    }

    /** A checkbox: its group's answer, its own, a decline, or a consent the application needs. */
    private String fillBox(FieldFiller filler, FormField f, Optional<Answer> answer) {
        // a box of a group answers the group's question ("How did you hear about us?": LinkedIn);
        // its own label is only an option ("LinkedIn" is not asking for the profile's LinkedIn URL)
        Optional<Answer> group = a.book.groupAnswer(f);
        if (group.isPresent()) {
            answer = group;
        } else if (answer.isPresent()
                && !answer.get().affirmative()
                && !AnswerBook.isDecline(answer.get().value())
                && !Text.normalize(answer.get().value()).matches("no|n|false|0|off|unchecked|disagree")) {
            answer = Optional.empty(); // a box is ticked or not: a value for a text field does not say which
        }
        if (answer.isPresent()) {
            boolean yes = answer.get().affirmative();
            String shown = yes && filler.check(f) ? "checked" : null;
            a.note(
                    f,
                    !yes ? "unchecked" : shown != null ? "filled" : "not_offered",
                    yes ? "checked" : "",
                    answer.get().source());
            return shown;
        }
        if (declinesGroup(f)) {
            // a self-identification group ("Which of these communities do you belong to?") asked of
            // someone who declines them all: its own "prefer not to answer" box, nothing else
            boolean decline = AnswerBook.isDecline(f.question());
            String shown = decline && filler.check(f) ? "checked" : null;
            a.note(
                    f,
                    !decline ? "unchecked" : shown != null ? "filled" : "not_offered",
                    decline ? "checked" : "",
                    "decline");
            return shown;
        }
        String said = Text.normalize(f.question());
        boolean acceptance = ACCEPTANCE.matcher(said).find()
                && ACCEPTED_TEXT.matcher(said).find()
                && !MARKETING.matcher(said).find();
        if ((f.required() || acceptance) && CONSENT.matcher(said).find()) {
            if (filler.check(f)) {
                a.consents.add(f.question());
                a.ctx.event(
                        "consent_checked",
                        "Checked the required consent \"" + Text.clip(f.question(), 120) + "\"",
                        Map.of());
                a.note(f, "filled", "checked", "consent");
                return "checked";
            }
        }
        a.note(f, "unanswered", "", "");
        return null;
    }

    /** A field nothing answers: an acknowledgement accepted, a required demographic question declined. */
    private String withoutAnswer(FieldFiller filler, FormField f) {
        if (f.options().size() == 1) {
            // a list with one entry, an acknowledgement ("I agree to the terms above", "Select to
            // acknowledge review"): the notice the application is made under, accepted as its box would be
            String only = Text.normalize(f.options().get(0).text());
            if (ACKNOWLEDGES.matcher(only).find()
                    && !MARKETING
                            .matcher(only + " " + Text.normalize(f.question()))
                            .find()) {
                String chosen = filler.fill(f, Answer.of(f.options().get(0).text(), "consent"), false);
                if (chosen != null) {
                    a.consents.add(f.question());
                    a.ctx.event(
                            "consent_checked",
                            "Chose \"" + Text.clip(chosen, 80) + "\" for \"" + Text.clip(f.question(), 80) + "\"",
                            Map.of());
                    a.note(f, "filled", chosen, "consent");
                    return chosen;
                }
            }
        }
        if (f.required() && AnswerBook.demographic(f)) {
            String chosen = filler.chooseOption(f, DECLINE);
            if (chosen != null) {
                a.ctx.event(
                        "demographic_declined",
                        "Chose \"" + chosen + "\" for the required \"" + Text.clip(f.question(), 80) + "\"",
                        Map.of());
                a.note(f, "filled", chosen, "decline");
                return chosen;
            }
        }
        a.note(f, "unanswered", "", "");
        return null;
    }

    /** A field with an answer: filled with it, or (a demographic question) a decline the page offers. */
    private String fillAnswer(FieldFiller filler, FormField f, Answer answer, boolean redo) {
        String shown = filler.fill(f, answer, redo);
        if (shown == null && !filler.silent && AnswerBook.demographic(f) && AnswerBook.isDecline(answer.value())) {
            // a decline worded as the page's terse "no entry" / "keine Angabe": taken only when an option
            // says exactly that ("No" is never a way of declining)
            Optional<FormField.Option> terse = f.options().stream()
                    .filter(o -> TERSE_DECLINES.contains(Text.normalize(o.text())))
                    .findFirst();
            if (terse.isPresent()) {
                shown = filler.fill(f, Answer.of(terse.get().text(), "qa_overrides"), redo);
            }
        }
        if (shown == null && !filler.silent && AnswerBook.demographic(f) && !AnswerBook.isDecline(answer.value())) {
            // the caller's own answer is not among the options ("I am not a veteran" where they said "I am
            // not a protected veteran"): declining discloses nothing they did not say
            String chosen = filler.chooseOption(f, DECLINE);
            if (chosen != null) {
                a.ctx.event(
                        "demographic_declined",
                        "Chose \"" + chosen + "\" for \"" + Text.clip(f.question(), 80)
                                + "\": the caller's answer is not offered",
                        Map.of());
                a.note(f, "filled", chosen, "decline");
                return chosen;
            }
        }
        if (shown == null && filler.silent) {
            a.attempts.put(f.key(), 99); // a widget that showed nothing will show nothing on the next pass
        }
        String value = f.secret() ? "********" : answer.value();
        a.note(
                f,
                shown != null ? "filled" : "not_offered",
                shown != null && !f.secret() ? shown : value,
                answer.source());
        return shown;
    }

    /**
     * Whether {@code box} belongs to a group of boxes with its own "prefer not to answer" box, one of
     * whose boxes names a self-identification the caller declined to give ("Person with disability"
     * when they declined the disability question): ticking any other box could give it away.
     */
    private boolean declinesGroup(FormField box) {
        if (box.section().isBlank() || a.filling == null) {
            return false;
        }
        List<FormField> group = a.filling.fields().stream()
                .filter(o -> o.kind().equals("checkbox") && o.section().equals(box.section()))
                .toList();
        return group.size() >= 2
                && group.stream().anyMatch(o -> AnswerBook.isDecline(o.question()))
                && group.stream().anyMatch(o -> a.book.declinesTopicOf(o.question()));
    }

    /**
     * A value the page already held (a saved draft, a default): replaced when the profile or the
     * caller's answers say something else, kept when they say nothing about the field.
     */
    private boolean replacesDraft(FormField f, boolean phoneCode) {
        if (f.kind().equals("checkbox")) {
            return false; // a box the page ticked (a remembered consent) is left as it is
        }
        Optional<Answer> answer = a.book.answer(f, phoneCode);
        if (answer.isEmpty()) {
            return false;
        }
        for (String sp : answer.get().spellings()) {
            if (ApplyAttempt.sameText(f.value(), sp)) {
                return false;
            }
        }
        return OptionChooser.choose(List.of(f.value()), answer.get().spellings()) < 0;
    }

    /**
     * An optional marketing opt-in the page ticked for the candidate (job alerts, newsletters, a talent
     * pool, text messages): nobody asked them, so it is unticked unless the caller said yes to it.
     */
    private boolean optsOut(FormField f) {
        return f.kind().equals("checkbox")
                && "checked".equals(f.value())
                && !f.required()
                && MARKETING.matcher(Text.normalize(f.question())).find()
                && a.book.answer(f, false).isEmpty();
    }

    /** Whether the page's phone country-code field (if any) shows the candidate's code. */
    private boolean phoneCodeSet(PageScan scan) {
        for (FormField c : scan.fields()) {
            if (!c.visible() || !isPhoneCode(c)) {
                continue;
            }
            FieldReport r = a.report.get(c.key());
            if (r != null && r.status().equals("filled")
                    || !c.isEmpty() && r == null && !replacesDraft(c, true)
                    || r != null && r.status().equals("kept")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPhoneCode(FormField f) {
        return PHONE_CODE.matcher(Text.normalize(f.question())).find();
    }
}
