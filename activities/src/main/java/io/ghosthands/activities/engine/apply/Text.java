package io.ghosthands.activities.engine.apply;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** How labels, answers and options are compared: lower-case words, accents and punctuation dropped. */
final class Text {

    private Text() {}

    private static final Set<String> STOP = Set.of(
            "the",
            "a",
            "an",
            "and",
            "or",
            "of",
            "to",
            "in",
            "on",
            "for",
            "at",
            "by",
            "with",
            "is",
            "are",
            "you",
            "your",
            "do",
            "does",
            "did",
            "be",
            "if",
            "as",
            "this",
            "that",
            "please",
            "enter",
            "select",
            "provide",
            "what",
            "which",
            "any",
            "our",
            "we",
            "us",
            "my",
            "me",
            "i",
            "it",
            "will",
            "have",
            "has",
            "can",
            "would",
            "currently",
            "now");

    /** "Bachelor’s Degree*" → "bachelors degree"; "+1 (US)" → "1 us". */
    static String normalize(String s) {
        if (s == null) {
            return "";
        }
        String n = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        n = n.toLowerCase(Locale.ROOT).replace('’', '\'').replace("'", "").replace("&", " and ");
        return n.replaceAll("[^a-z0-9]+", " ").trim();
    }

    /** Distinguishing words of a question: normalized, stop words out, crude plural/tense stemming. */
    static Set<String> words(String s) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : normalize(s).split(" ")) {
            if (w.isEmpty() || STOP.contains(w) || (w.length() < 2 && !w.matches("\\d+"))) {
                continue;
            }
            out.add(stem(w));
        }
        return out;
    }

    static String stem(String w) {
        if (w.length() > 5 && w.endsWith("ing")) {
            return w.substring(0, w.length() - 3);
        }
        if (w.length() > 4 && w.endsWith("ed")) {
            return w.substring(0, w.length() - 2);
        }
        if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) {
            return w.substring(0, w.length() - 1);
        }
        return w;
    }

    /** Whether {@code haystack} contains {@code needle} as whole words (both normalized). */
    static boolean containsWords(String haystack, String needle) {
        if (needle.isEmpty()) {
            return false;
        }
        return (" " + haystack + " ").contains(" " + needle + " ");
    }

    static List<String> distinct(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.isBlank() && out.stream().noneMatch(o -> o.equalsIgnoreCase(v))) {
                out.add(v);
            }
        }
        return out;
    }

    static String clip(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
