package io.ghosthands.activities.engine.scrape;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.Month;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a posting date as written on pages and in JSON-LD: ISO dates and date-times (the date as
 * written, not shifted to UTC), English month names ("March 4, 2024", "4 Mar 2024"), and relative
 * words ("today", "3 days ago", "30+ days ago"), counted back from {@code today}. Numeric forms like
 * 03/04/2024 are ambiguous (March or April) and left unread.
 */
final class PostedDate {

    private PostedDate() {}

    private static final Pattern ISO = Pattern.compile("^(\\d{4})[-/](\\d{1,2})[-/](\\d{1,2})(?!\\d)");
    private static final String MONTHS = "(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";
    private static final Pattern MONTH_DAY_YEAR =
            Pattern.compile("^" + MONTHS + "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b");
    private static final Pattern DAY_MONTH_YEAR =
            Pattern.compile("^(\\d{1,2})(?:st|nd|rd|th)?\\.?\\s+(?:of\\s+)?" + MONTHS + ",?\\s+(\\d{4})\\b");
    private static final Pattern AGO =
            Pattern.compile("^(?:about\\s+|over\\s+)?(\\d+|an?|one)\\+?\\s+(minute|hour|day|week|month)s?\\s+ago\\b");

    /** The date at the start of {@code text} (leading "on" allowed), or empty. */
    static Optional<LocalDate> parse(String text, LocalDate today) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT).replaceFirst("^on\\s+", "");
        try {
            Matcher m = ISO.matcher(t);
            if (m.find()) {
                return Optional.of(LocalDate.of(
                        Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
            }
            m = MONTH_DAY_YEAR.matcher(t);
            if (m.find()) {
                return Optional.of(
                        LocalDate.of(Integer.parseInt(m.group(3)), month(m.group(1)), Integer.parseInt(m.group(2))));
            }
            m = DAY_MONTH_YEAR.matcher(t);
            if (m.find()) {
                return Optional.of(
                        LocalDate.of(Integer.parseInt(m.group(3)), month(m.group(2)), Integer.parseInt(m.group(1))));
            }
        } catch (DateTimeException | NumberFormatException e) {
            return Optional.empty();
        }
        if (today == null) {
            return Optional.empty();
        }
        if (t.startsWith("today") || t.startsWith("just now") || t.startsWith("just posted")) {
            return Optional.of(today);
        }
        if (t.startsWith("yesterday")) {
            return Optional.of(today.minusDays(1));
        }
        Matcher ago = AGO.matcher(t);
        if (ago.find()) {
            String n = ago.group(1);
            int count = n.equals("a") || n.equals("an") || n.equals("one") ? 1 : Integer.parseInt(n);
            switch (ago.group(2)) {
                case "day":
                    return Optional.of(today.minusDays(count));
                case "week":
                    return Optional.of(today.minusWeeks(count));
                case "month":
                    return Optional.of(today.minusMonths(count));
                default:
                    return Optional.of(today); // minutes or hours ago
            }
        }
        return Optional.empty();
    }

    private static Month month(String abbreviation) {
        switch (abbreviation) {
            case "jan":
                return Month.JANUARY;
            case "feb":
                return Month.FEBRUARY;
            case "mar":
                return Month.MARCH;
            case "apr":
                return Month.APRIL;
            case "may":
                return Month.MAY;
            case "jun":
                return Month.JUNE;
            case "jul":
                return Month.JULY;
            case "aug":
                return Month.AUGUST;
            case "sep":
            case "sept":
                return Month.SEPTEMBER;
            case "oct":
                return Month.OCTOBER;
            case "nov":
                return Month.NOVEMBER;
            default:
                return Month.DECEMBER;
        }
    }
}
