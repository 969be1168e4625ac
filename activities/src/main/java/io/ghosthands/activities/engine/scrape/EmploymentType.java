package io.ghosthands.activities.engine.scrape;

import java.util.Locale;
import java.util.Map;

/**
 * Employment types as schema.org writes them ({@code FULL_TIME}, {@code PART_TIME},
 * {@code CONTRACTOR}, {@code TEMPORARY}, {@code INTERN}, {@code VOLUNTEER}, {@code PER_DIEM},
 * {@code OTHER}), whatever the page's wording ("Full-time", "Contract", "Internship").
 */
final class EmploymentType {

    private EmploymentType() {}

    private static final Map<String, String> WORDS = Map.ofEntries(
            Map.entry("FULL_TIME", "FULL_TIME"),
            Map.entry("FULLTIME", "FULL_TIME"),
            Map.entry("FULL", "FULL_TIME"),
            Map.entry("PERMANENT_FULL_TIME", "FULL_TIME"),
            Map.entry("FULL_TIME_EMPLOYEE", "FULL_TIME"),
            Map.entry("PART_TIME", "PART_TIME"),
            Map.entry("PARTTIME", "PART_TIME"),
            Map.entry("CONTRACTOR", "CONTRACTOR"),
            Map.entry("CONTRACT", "CONTRACTOR"),
            Map.entry("FREELANCE", "CONTRACTOR"),
            Map.entry("CONTRACT_TO_HIRE", "CONTRACTOR"),
            Map.entry("TEMPORARY", "TEMPORARY"),
            Map.entry("TEMP", "TEMPORARY"),
            Map.entry("FIXED_TERM", "TEMPORARY"),
            Map.entry("SEASONAL", "TEMPORARY"),
            Map.entry("INTERN", "INTERN"),
            Map.entry("INTERNSHIP", "INTERN"),
            Map.entry("VOLUNTEER", "VOLUNTEER"),
            Map.entry("PER_DIEM", "PER_DIEM"),
            Map.entry("OTHER", "OTHER"));

    /** The schema.org code for a known wording; other non-blank text as it was written; else null. */
    static String normalise(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        String key = t.toUpperCase(Locale.ROOT).replaceAll("[^A-Z]+", "_").replaceAll("^_|_$", "");
        return WORDS.getOrDefault(key, t);
    }

    /** The code only when the wording is a known one (for free text on a page), else null. */
    static String known(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String key =
                text.trim().toUpperCase(Locale.ROOT).replaceAll("[^A-Z]+", "_").replaceAll("^_|_$", "");
        return WORDS.get(key);
    }
}
