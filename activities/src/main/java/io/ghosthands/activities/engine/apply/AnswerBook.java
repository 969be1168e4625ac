package io.ghosthands.activities.engine.apply;

import static io.ghosthands.activities.engine.apply.Rules.has;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Knows the answer to a field, or knows that it does not: from the caller's {@code qa_overrides}
 * (fuzzy question match) and the candidate profile. It never makes an answer up; a question it
 * cannot place returns empty. Order: a strong {@code qa_overrides} match, then the profile rules,
 * then a weaker {@code qa_overrides} match. The profile's rules are {@link ProfileRules}.
 */
final class AnswerBook {

    private final CandidateProfile p;
    private final QuestionMatcher qa;
    private PageContext page = PageContext.NONE;
    private final ProfileRules rules;

    /** Sets what the current page says around its fields. */
    void onPage(PageContext context) {
        this.page = context == null ? PageContext.NONE : context;
    }

    AnswerBook(CandidateProfile profile, QuestionMatcher qa) {
        this.p = profile;
        this.qa = qa;
        this.rules = new ProfileRules(profile, () -> page);
    }

    private static final Pattern DEMOGRAPHIC = Pattern.compile(
            "\\b(gender|sex|race|racial|ethnicity|ethnic|hispanic|latin[oax]|veteran|disability|disabled|sexual orientation"
                    + "|transgender|lgbt\\w*|pronouns?|self identif\\w*|voluntary self|demographic|eeo|equal employment"
                    + "|military (status|service|spouse)|protected veteran)\\b");
    /** Whether the caller declined the self-identification question {@code text} is about. */
    boolean declinesTopicOf(String text) {
        return qa.declinesTopicOf(text);
    }

    /** Whether an option or answer says "I decline to answer", as forms word it. */
    static boolean isDecline(String text) {
        return DECLINES.matcher(Text.normalize(text)).find();
    }

    /** Whether the field asks for demographic / EEO data (left alone unless the caller answered it). */
    static boolean demographic(FormField f) {
        return DEMOGRAPHIC
                .matcher(Text.normalize(f.question() + " " + f.section()))
                .find();
    }

    /** The profile items the engine gave the page's repeated entries, by part ("work", "education"), by entry. */
    private Map<String, List<Map<String, Object>>> entries = Map.of();

    /**
     * Which profile item each entry of a repeated part answers for (by part, by entry index; an empty
     * map for an entry the profile has nothing for). Parts not given here take the profile's items in
     * order ({@link CandidateProfile#jobs()}, {@link CandidateProfile#schools()}).
     */
    void entries(Map<String, List<Map<String, Object>>> byPart) {
        this.entries = byPart == null ? Map.of() : byPart;
    }

    /** The profile item the entry holding {@code f} answers for; empty when none (or unclear). */
    Map<String, Object> itemOf(FormField f) {
        List<Map<String, Object>> items = entries.containsKey(f.context())
                ? entries.get(f.context())
                : f.context().equals("work") ? p.jobs() : p.schools();
        return f.entry() >= 0 && f.entry() < items.size() ? items.get(f.entry()) : Map.of();
    }

    Optional<Answer> answer(FormField f, boolean pageHasPhoneCode) {
        if ((f.context().equals("work") || f.context().equals("education")) && !p.isEntry()) {
            // a field of a work-history or education entry answers from that entry's job or school only
            AnswerBook entry = new AnswerBook(p.forEntry(f.context(), itemOf(f)), qa);
            entry.page = page;
            return entry.answer(f, pageHasPhoneCode);
        }
        String q = f.question();
        Optional<Answer> here = alreadyThere(f);
        if (here.isPresent()) {
            return here;
        }
        Optional<QuestionMatcher.Match> m = qa.find(q);
        if (m.isPresent() && m.get().strong()) {
            return Optional.of(fromQa(m.get()));
        }
        if (demographic(f)) {
            return m.map(this::fromQa);
        }
        Optional<Answer> fromProfile =
                fromProfile(f, pageHasPhoneCode).filter(a -> !a.value().isBlank());
        if (fromProfile.isPresent()) {
            return fromProfile;
        }
        return m.map(this::fromQa);
    }

    /**
     * "Are you willing to relocate?" with an option "I'm already located where the position is based":
     * that option, when the job's pages name one metro area and it is the candidate's.
     */
    private Optional<Answer> alreadyThere(FormField f) {
        if (f.options().isEmpty()
                || QuestionMatcher.Intent.of(Text.normalize(f.question())) != QuestionMatcher.Intent.RELOCATION) {
            return Optional.empty();
        }
        Optional<FormField.Option> already = f.options().stream()
                .filter(
                        o -> has(
                                Text.normalize(o.text()),
                                "\\balready (located|based|live|living|reside|residing|in)\\b|\\b(i )?(currently )?(live|am located|am based) (in|near) (the )?(area|city|region)"))
                .findFirst();
        Optional<Metros.Metro> home = Metros.of(p.city());
        if (already.isEmpty() || home.isEmpty() || page.metros().isEmpty()) {
            return Optional.empty();
        }
        boolean mine = page.metros().stream().allMatch(m -> Metros.km(home.get(), m) <= Metros.SAME_KM);
        return mine ? Optional.of(Answer.of(already.get().text(), "profile.location")) : Optional.empty();
    }

    /**
     * For one box of a checkbox group: yes when the caller's answer to the group's question names
     * this box ("Design Systems, Research"), no when it names others; empty when not answered.
     */
    Optional<Answer> groupAnswer(FormField box) {
        if (box.section().isBlank()) {
            return Optional.empty();
        }
        return qa.find(box.section()).map(m -> {
            String option = Text.normalize(box.question());
            if (DECLINES.matcher(Text.normalize(m.answer())).find()) {
                // a decline ticks the group's own "prefer not to answer" box, and nothing else
                return Answer.yesNo(DECLINES.matcher(option).find(), "qa_overrides", List.of());
            }
            boolean named = false;
            for (String part : m.answer().split("[,;|\\n]")) {
                String p = Text.normalize(part);
                if (!p.isEmpty()
                        && (p.equals(option) || Text.containsWords(option, p) || Text.containsWords(p, option))) {
                    named = true;
                }
            }
            return Answer.yesNo(named, "qa_overrides", List.of());
        });
    }

    /** An answer that declines to answer ("Decline to self-identify"), in the ways forms word it. */
    private static final Pattern DECLINES = Pattern.compile(
            "\\b(decline|prefer not|not wish|dont wish|do not wish|dont want|do not want|rather not|choose not|not to (say|answer|disclose)"
                    + "|keine angabe)\\b");

    static final List<String> DECLINE_SPELLINGS = List.of(
            "Decline to self-identify",
            "Decline To Self Identify",
            "I don't wish to answer",
            "I do not wish to answer",
            "I don't want to answer",
            "I do not want to answer",
            "Prefer not to say",
            "Prefer not to answer",
            "Decline to answer",
            "I choose not to disclose",
            "I prefer not to answer",
            "Decline to state");

    private Answer fromQa(QuestionMatcher.Match m) {
        String v = m.answer();
        String n = Text.normalize(v);
        if (DECLINES.matcher(n).find()) {
            List<String> spellings = new ArrayList<>(List.of(v));
            spellings.addAll(DECLINE_SPELLINGS);
            return new Answer(v, Text.distinct(spellings), "qa_overrides");
        }
        if (n.matches("yes|y|true")) {
            return Answer.yesNo(true, "qa_overrides", List.of(v));
        }
        if (n.matches("no|n|false")) {
            return Answer.yesNo(false, "qa_overrides", List.of(v));
        }
        return Answer.of(v, "qa_overrides");
    }

    Optional<Answer> fromProfile(FormField f, boolean pageHasPhoneCode) {
        return rules.fromProfile(f, pageHasPhoneCode);
    }
}
