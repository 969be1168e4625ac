package io.ghosthands.activities.engine.apply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The profile's work history and education as a form's repeated entries take them: jobs most recent
 * first, schools with a name first, and the names an entry shows for its job or school.
 */
final class WorkHistory {

    private WorkHistory() {}

    /**
     * Jobs most recent first: those still held (said "Present" before those with no end date, then the
     * latest started), then the ended ones by end and start date, latest first; undated ones last,
     * each kind in the profile's order.
     */
    static List<Map<String, Object>> recentFirst(List<Map<String, Object>> jobs) {
        List<Map<String, Object>> held = new ArrayList<>();
        List<Map<String, Object>> ended = new ArrayList<>();
        for (Map<String, Object> j : jobs) {
            (ongoing(j) ? held : ended).add(j);
        }
        held.sort(Comparator.comparing((Map<String, Object> j) ->
                        CandidateProfile.str(j, "end_date").isEmpty() ? 0 : 1)
                .thenComparing(j -> dateKey(j, "start_date"))
                .reversed());
        ended.sort(Comparator.comparing((Map<String, Object> j) -> dateKey(j, "end_date"))
                .thenComparing(j -> dateKey(j, "start_date"))
                .reversed());
        held.addAll(ended);
        return held;
    }

    /**
     * The schools an education entry can be given, in the profile's order: those whose institution is
     * known first, then those that only give a degree or a field of study (an entry the page already
     * shows may take one; none is added for it: its school would stay empty).
     */
    static List<Map<String, Object>> schools(List<Map<String, Object>> education) {
        List<Map<String, Object>> named = new ArrayList<>();
        List<Map<String, Object>> unnamed = new ArrayList<>();
        for (Map<String, Object> e : education) {
            if (!CandidateProfile.str(e, "institution", "school", "university", "college")
                    .isEmpty()) {
                named.add(e);
            } else if (!CandidateProfile.str(e, "degree", "degree_type", "level")
                            .isEmpty()
                    || !CandidateProfile.str(e, "field", "field_of_study", "major", "discipline")
                            .isEmpty()) {
                unnamed.add(e);
            }
        }
        named.addAll(unnamed);
        return named;
    }

    /** A job's title or company, as a person names the entry: "Software Engineer at Difference Labs". */
    static String describeJob(Map<String, Object> j) {
        String t = CandidateProfile.str(j, "title", "job_title", "position");
        String c = CandidateProfile.str(j, "company", "employer", "organization");
        return t.isEmpty() ? c : c.isEmpty() ? t : t + " at " + c;
    }

    /** The names an entry given {@code item} shows (a job's company and title, a school's name). */
    static List<String> names(String part, Map<String, Object> item) {
        List<String> out = new ArrayList<>();
        for (String v : part.equals("work")
                ? List.of(
                        CandidateProfile.str(item, "company", "employer", "organization"),
                        CandidateProfile.str(item, "title", "job_title", "position"))
                : List.of(CandidateProfile.str(item, "institution", "school", "university", "college"))) {
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }

    static boolean ongoing(Map<String, Object> j) {
        String end = CandidateProfile.str(j, "end_date").toLowerCase(Locale.ROOT);
        return end.isEmpty() || end.contains("present") || end.contains("current");
    }

    /** "2019-03" → "2019-03"; "2019" → "2019-00"; unknown → "" (sorts before any date: last when reversed). */
    private static String dateKey(Map<String, Object> j, String key) {
        Matcher m = Pattern.compile("^((?:19|20)\\d\\d)(?:-(\\d{1,2}))?")
                .matcher(CandidateProfile.str(j, key).trim());
        if (!m.find()) {
            return "";
        }
        String month = m.group(2) == null ? "00" : m.group(2).length() == 1 ? "0" + m.group(2) : m.group(2);
        return m.group(1) + "-" + month;
    }
}
