package io.ghosthands.activities.engine.apply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the caller's answer ({@code qa_overrides}) for a question on the page, although the wording
 * rarely matches to the letter: normalized equality, one containing most of the other, or the same
 * distinguishing words (a question naming "Canada" does not take the answer given for "the US").
 */
final class QuestionMatcher {

    /** A match and how sure it is: 1.0 exact, 0.9 containment, below that word overlap. */
    record Match(String question, String answer, double score) {
        boolean strong() {
            return score >= 0.9;
        }
    }

    private final Map<String, String> answers = new LinkedHashMap<>();

    QuestionMatcher(Map<String, Object> qaOverrides) {
        if (qaOverrides != null) {
            qaOverrides.forEach((q, a) -> {
                if (q != null
                        && a != null
                        && !a.toString().isBlank()
                        && !Text.normalize(q).isEmpty()) {
                    answers.put(
                            q,
                            a instanceof List<?> l
                                    ? String.join(
                                            ", ",
                                            l.stream().map(Object::toString).toList())
                                    : a.toString().trim());
                }
            });
        }
    }

    /**
     * Whether the caller declined to answer the self-identification question {@code text} is about
     * ("Person with disability" when they declined the disability question).
     */
    boolean declinesTopicOf(String text) {
        Intent topic = Intent.of(Text.normalize(text));
        if (topic == null) {
            return false;
        }
        for (Map.Entry<String, String> e : answers.entrySet()) {
            if (Intent.of(Text.normalize(e.getKey())) == topic
                    && DECLINE.matcher(Text.normalize(e.getValue())).find()) {
                return true;
            }
        }
        return false;
    }

    Optional<Match> find(String label) {
        String l = Text.normalize(label);
        if (l.isEmpty()) {
            return Optional.empty();
        }
        Match best = null;
        Intent asked = Intent.of(l);
        if (asked == null && FORMER_EMPLOYER.matcher(label).find()) {
            asked = Intent.FORMER_EMPLOYEE; // "Have you previously worked at or consulted for GitLab?"
        }
        for (Map.Entry<String, String> e : answers.entrySet()) {
            double s = score(l, Text.normalize(e.getKey()), label, e.getKey());
            Intent keyIntent = Intent.of(Text.normalize(e.getKey()));
            if (s < 0.9 && asked != null && asked == keyIntent) {
                s = 0.9; // the same question in other words ("How did you find this job?" ~ "How did you hear about
                // us?")
            }
            if (s < 0.9
                    && asked == Intent.TRANSGENDER
                    && keyIntent == Intent.GENDER
                    && DECLINE.matcher(Text.normalize(e.getValue())).find()) {
                s = 0.9; // declining to state one's gender declines its identity questions too
            }
            if (s > 0 && (best == null || s > best.score())) {
                best = new Match(e.getKey(), e.getValue(), s);
            }
        }
        return Optional.ofNullable(best);
    }

    private static double score(String l, String k, String rawLabel, String rawKey) {
        if (l.equals(k)) {
            return 1.0;
        }
        Set<String> lw = Text.words(rawLabel);
        Set<String> kw = Text.words(rawKey);
        // a question naming another place or thing than the key does is another question
        if (!lw.isEmpty() && !kw.isEmpty()) {
            List<String> missing = new ArrayList<>(lw);
            missing.removeAll(kw);
            List<String> extra = new ArrayList<>(kw);
            extra.removeAll(lw);
            if (Text.containsWords(l, k) && k.length() >= 3 && k.length() >= 0.6 * l.length() && !namesOther(missing)) {
                return 0.9;
            }
            if (Text.containsWords(k, l) && l.length() >= 3 && l.length() >= 0.5 * k.length() && !namesOther(extra)) {
                return 0.9;
            }
            long common = lw.stream().filter(kw::contains).count();
            if (common < 2 && !(common == 1 && lw.size() == 1 && kw.size() == 1)) {
                return 0;
            }
            double coverLabel = (double) common / lw.size();
            double coverKey = (double) common / kw.size();
            if (coverLabel >= 0.75 && coverKey >= 0.6 && !namesOther(missing) && !namesOther(extra)) {
                return 0.5 + 0.35 * Math.min(coverLabel, coverKey);
            }
        }
        return 0;
    }

    /**
     * Questions every application asks in many wordings. A label and a caller's question of the same
     * intent are the same question; a label that could be two intents at once is none (never guessed).
     */
    enum Intent {
        SOURCE(
                "how did you (first )?(hear|find|learn|come across|discover)|where did you (hear|find|see|learn|come across)"
                        + "|how did you [a-z ]{0,30}(hear|learn|find out|know|come across) (about|of)"
                        + "|(hear|learn)(d)? about (us|this|the (job|role|position|opening|opportunity)|our)|referral source"
                        + "|source of (your )?(application|referral)|how were you referred"),
        PRONOUNS("\\bpronouns?\\b"),
        RELOCATION("\\brelocat"),
        NOTICE(
                "\\bnotice period\\b|\\bweeks? notice\\b|how much notice|notice (do you need|required|you need to give)"),
        ADULT(
                "\\b(18|eighteen) (years|yrs)\\b|\\bover (the age of )?(18|eighteen)\\b|\\bat least (18|eighteen)\\b|legal (working )?age"),
        FORMER_EMPLOYEE(
                "(previously|ever|formerly) (been )?(worked|employed) (for|at|by|with) (us|this company|the company|our company"
                        + "|this organi[sz]ation)|(are|were) you (a )?former (employee|contractor)|worked (here|for us) before"),
        HISPANIC("\\bhispanic\\b|\\blatin[oax]\\b"),
        SEXUAL_ORIENTATION("sexual orientation"),
        TRANSGENDER("\\btransgender\\b|gender identity (is )?different"),
        GENDER("\\b(gender|sex)\\b"),
        RACE("\\brace\\b|\\bracial\\b|\\bethnicit(y|ies)\\b"),
        // "Are you a veteran or an active member of the armed forces?" is not the protected-veteran status question
        VETERAN("veteran status|protected veteran|veteran self|vevraa|veteran classification"),
        DISABILITY("\\bdisabilit(y|ies)\\b|\\bdisabled\\b");

        private final Pattern pattern;
        private static final Pattern FOLLOW_UP = Pattern.compile(
                "^(if (other|yes|no|so|not|applicable|you (answered|selected|chose|checked|ticked))|please (specify|explain|elaborate)"
                        + "|other please specify|(specify|explain) (other|here))\\b");

        Intent(String regex) {
            this.pattern = Pattern.compile(regex);
        }

        /** The one intent a normalized question has, or null when it has none or several. */
        static Intent of(String normalized) {
            if (FOLLOW_UP.matcher(normalized).find()) {
                return null; // "If other, please let us know your pronouns" follows a question; it is not that question
            }
            Intent found = null;
            for (Intent i : values()) {
                if (i.pattern.matcher(normalized).find()) {
                    if (found != null && !compatible(found, i)) {
                        return null;
                    }
                    found = found == null ? i : found;
                }
            }
            // "Are you located in or willing to relocate to Austin?" asks two things at once
            if (found == RELOCATION
                    && normalized.matches(".*\\b(located|based|live|living|reside|residing|currently in)\\b.*")) {
                return null;
            }
            return found;
        }

        /** Pairs that occur together in one question without making it two ("Hispanic or Latino ethnicity"). */
        private static boolean compatible(Intent first, Intent other) {
            return first == HISPANIC && other == RACE
                    || first == TRANSGENDER && other == GENDER
                    || first == SEXUAL_ORIENTATION && other == GENDER;
        }
    }

    private static final Pattern DECLINE = Pattern.compile(
            "\\b(decline|prefer not|not wish|dont wish|do not wish|dont want|do not want|rather not|choose not)\\b");

    /**
     * "Have you ever been employed by Axon", "previously worked at or consulted for GitLab", "ever held a
     * position with this company": the hiring company (a name, capitalized) or "us"; not "worked in a
     * regulated industry".
     */
    private static final Pattern FORMER_EMPLOYER = Pattern.compile(
            "(?i:\\b(have|were|are) you\\b.{0,40}\\b(ever|previously|before|formerly|already)\\b.{0,30}"
                    + "\\b(worked|been employed|employed|held an? (position|job|role)|consulted|been an? (employee|contractor|intern))\\b"
                    + "[^?]{0,30}?\\b)((for|at|by)\\s+\\p{Lu}[\\p{L}&.'-]*|(?i:(for|at|by|with)\\s+(this company|our company|the company|us)\\b))");

    /** Whether left-over words name a country or a number: those change what is asked. */
    private static boolean namesOther(List<String> words) {
        for (String w : words) {
            if (w.matches("\\d+")) {
                return true;
            }
        }
        for (List<String> names : Places.knownCountries()) {
            for (String n : names) {
                List<String> parts = Arrays.stream(n.split(" ")).map(Text::stem).toList();
                if (words.containsAll(parts)) {
                    return true;
                }
            }
        }
        return false;
    }
}
