package io.ghosthands.activities.engine.apply;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks the option that says the same as an answer: normalized exact match, then an option starting
 * with the answer ("Yes, I am authorized"), then an option containing it, then an answer containing
 * the option; numbers also match ranges ("3-5 years", "10+"). Each of the answer's spellings is tried,
 * earlier spellings first. Nothing weaker than "answer contains option" counts.
 */
final class OptionChooser {

    private OptionChooser() {}

    private static final Pattern RANGE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:-|to|–|—)\\s*(\\d+(?:\\.\\d+)?)");
    private static final Pattern PLUS = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:\\+|or more|and (?:above|over|up))");
    private static final List<String> WORDS = List.of(
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve");
    private static final Pattern QUANTITY = Pattern.compile(
            "(\\d+(?:\\.\\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (day|week|month|year)s?( notice)?");
    private static final Pattern BELOW = Pattern.compile("(?:less than|under|fewer than|<)\\s*(\\d+(?:\\.\\d+)?)");

    /** The index in {@code options} of the best match for any of {@code spellings}, or -1. */
    static int choose(List<String> options, List<String> spellings) {
        int best = -1;
        double bestScore = 0;
        for (int a = 0; a < spellings.size(); a++) {
            String ans = Text.normalize(spellings.get(a));
            if (ans.isEmpty()) {
                continue;
            }
            String rawAnswer = spellings.get(a).trim();
            Double number = rawAnswer.matches("\\d+(\\.\\d+)?") ? Double.valueOf(rawAnswer) : null;
            // "Two weeks" against "1-2 weeks": a number of a unit falls in a range of the same unit
            String unit = null;
            Matcher q = QUANTITY.matcher(ans);
            if (number == null && q.matches()) {
                String n = q.group(1);
                number = n.matches("\\d+(\\.\\d+)?") ? Double.valueOf(n) : (double) WORDS.indexOf(n);
                unit = q.group(2);
            }
            for (int i = 0; i < options.size(); i++) {
                String raw = options.get(i) == null ? "" : options.get(i).toLowerCase(Locale.ROOT);
                String opt = Text.normalize(raw);
                if (opt.isEmpty()) {
                    continue;
                }
                boolean sameUnit = unit != null && opt.matches(".*\\b" + unit + "s?\\b.*");
                double s = (unit == null || sameUnit ? score(opt, raw, ans, number) : score(opt, raw, ans, null))
                        - a * 0.5;
                if (sameUnit
                        && opt.matches("(about |around |approximately )?" + Pattern.quote(fmt(number)) + " " + unit
                                + "s?( notice)?")) {
                    s = Math.max(s, 95 - a * 0.5); // "Two weeks" is "2 weeks"
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = i;
                }
            }
        }
        return bestScore >= 55 ? best : -1;
    }

    private static String fmt(double n) {
        return n == Math.rint(n) ? String.valueOf((long) n) : String.valueOf(n);
    }

    private static double score(String opt, String raw, String ans, Double number) {
        if (opt.equals(ans)) {
            return 100;
        }
        if (number != null) {
            Double r = rangeScore(raw, number);
            if (r != null) {
                return r;
            }
        }
        if (opt.startsWith(ans + " ")) {
            return 90 + 5.0 * ans.length() / opt.length();
        }
        if (ans.length() >= 2 && Text.containsWords(opt, ans)) {
            return 75 + 10.0 * ans.length() / opt.length();
        }
        if (opt.length() >= 2 && Text.containsWords(ans, opt) && !opt.matches("\\d+")) {
            return 60 + 10.0 * opt.length() / ans.length();
        }
        return 0;
    }

    private static Double rangeScore(String o, double n) {
        Matcher m = RANGE.matcher(o);
        if (m.find()) {
            double lo = Double.parseDouble(m.group(1));
            double hi = Double.parseDouble(m.group(2));
            return n >= lo && n <= hi ? 85.0 : null;
        }
        m = PLUS.matcher(o.replace(" plus", "+").replace(",", ""));
        if (m.find()) {
            return n >= Double.parseDouble(m.group(1)) ? 84.0 : null;
        }
        m = BELOW.matcher(o);
        if (m.find()) {
            return n < Double.parseDouble(m.group(1)) ? 84.0 : null;
        }
        return null;
    }
}
