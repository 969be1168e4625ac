package io.ghosthands.activities.engine.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The candidate as the job's {@code user_data} describes them (contract §2 {@code profile}), read
 * leniently: missing keys, empty strings, numbers as strings, fractional years, scheme-less URLs,
 * {@code graduation_year: 0}, and location either nested ({@code location{city,…}}) or flattened
 * ({@code city}, {@code state}…) as the VALET route stores it. Every getter returns "" when unknown.
 */
final class CandidateProfile {

    private final Map<String, Object> data;
    /** The job of one work-history entry on the page, when this profile answers for it; else null. */
    private final Map<String, Object> job;
    /** The school of one education entry on the page, when this profile answers for it; else null. */
    private final Map<String, Object> school;

    CandidateProfile(Map<String, Object> userData) {
        this(userData == null ? Map.of() : userData, null, null);
    }

    private CandidateProfile(Map<String, Object> data, Map<String, Object> job, Map<String, Object> school) {
        this.data = data;
        this.job = job;
        this.school = school;
    }

    /**
     * The profile answering for one entry of a repeated part of a form: {@code part} "work" makes
     * {@code item} the job its title, company, dates and "I currently work here" come from, "education"
     * the school its school, degree, field and graduation year come from. An empty item answers none of
     * them (an entry the profile has nothing for), never the top-level fallbacks.
     */
    CandidateProfile forEntry(String part, Map<String, Object> item) {
        Map<String, Object> it = item == null ? Map.of() : item;
        return switch (part) {
            case "work" -> new CandidateProfile(data, it, school);
            case "education" -> new CandidateProfile(data, job, it);
            default -> this;
        };
    }

    /** Whether this profile answers for one entry of a repeated part ({@link #forEntry}). */
    boolean isEntry() {
        return job != null || school != null;
    }

    /**
     * The jobs a work-history entry can be given (a company or a title known), most recent first: see
     * {@link WorkHistory#recentFirst}.
     */
    List<Map<String, Object>> jobs() {
        return WorkHistory.recentFirst(maps("work_history").stream()
                .filter(j -> !str(j, "company", "employer", "organization").isEmpty()
                        || !str(j, "title", "job_title", "position").isEmpty())
                .toList());
    }

    /**
     * The schools an education entry can be given, in the profile's order: those whose institution is
     * known first, then those that only give a degree or a field of study (an entry the page already
     * shows may take one; none is added for it: its school would stay empty).
     */
    List<Map<String, Object>> schools() {
        return WorkHistory.schools(maps("education"));
    }

    /** How many entries of a part ("work", "education") the profile can fill: a job named, a school named. */
    int entriesToAdd(String part) {
        return part.equals("work")
                ? jobs().size()
                : (int) schools().stream()
                        .filter(e -> !str(e, "institution", "school", "university", "college")
                                .isEmpty())
                        .count();
    }

    String firstName() {
        return str("first_name", "firstName", "given_name");
    }

    String lastName() {
        return str("last_name", "lastName", "family_name", "surname");
    }

    String fullName() {
        String full = (firstName() + " " + lastName()).trim();
        return full.isEmpty() ? str("full_name", "name") : full;
    }

    String email() {
        return str("email", "email_address");
    }

    String phone() {
        return str("phone", "phone_number", "mobile");
    }

    /** The dialling code ("+1") from a "+…" phone number or the country, or "". */
    String phoneCountryCode() {
        return PhoneNumbers.countryCode(phone(), country());
    }

    /** The phone without its country code, for forms with a separate country-code field. */
    String phoneNational() {
        return PhoneNumbers.national(phone(), phoneCountryCode());
    }

    String city() {
        return loc("city");
    }

    String state() {
        return loc("state");
    }

    String country() {
        return loc("country");
    }

    String zip() {
        String z = loc("zip");
        return z.isEmpty() ? loc("postal_code") : z;
    }

    String address() {
        String a = loc("address");
        return a.isEmpty() ? loc("street") : a;
    }

    /** "mobile", "landline"… when the profile says; "" otherwise. */
    String phoneType() {
        return str("phone_type", "phone_device_type");
    }

    /** The whole address on one line: "500 Howard Street, San Francisco, CA 94107, United States". */
    String fullAddress() {
        String street = address();
        if (street.isEmpty()) {
            return "";
        }
        String stateZip = (state() + " " + zip()).trim();
        return join(street, city(), stateZip, country());
    }

    /** "City, State" (or what of it is known). */
    String cityState() {
        return join(city(), state());
    }

    String linkedin() {
        return url(str("linkedin_url", "linkedin"));
    }

    String portfolio() {
        return url(str("portfolio_url", "portfolio", "website_url", "website", "personal_website"));
    }

    String website() {
        return url(str("website_url", "website", "personal_website", "portfolio_url", "portfolio"));
    }

    String github() {
        String g = url(str("github_url", "github"));
        if (!g.isEmpty()) {
            return g;
        }
        // a GitHub profile given as the portfolio still answers "GitHub"
        String p = portfolio();
        return p.toLowerCase(Locale.ROOT).contains("github.com") ? p : "";
    }

    String twitter() {
        return url(str("twitter_url", "twitter", "x_url"));
    }

    String workAuthorization() {
        return str("work_authorization", "work_authorization_status");
    }

    /** Whether the candidate may work in their country without a new permit; null when unclear. */
    Boolean authorized() {
        return WorkAuthorization.authorized(
                bool("authorized_to_work", "work_authorized", "legally_authorized"), workAuthorization());
    }

    /** Whether the candidate needs (now or later) visa sponsorship; null when unclear. */
    Boolean needsSponsorship() {
        return WorkAuthorization.needsSponsorship(
                bool(
                        "requires_sponsorship",
                        "needs_sponsorship",
                        "visa_sponsorship",
                        "sponsorship_required",
                        "require_sponsorship"),
                workAuthorization());
    }

    /** The country of citizenship the work authorization names ("US citizen" → United States), else empty. */
    String citizenship() {
        return WorkAuthorization.citizenship(workAuthorization());
    }

    String salary() {
        return str("salary_expectation", "desired_salary", "salary");
    }

    /** Years of experience as written for a form: "5", "5.5"; "" when unknown. */
    String yearsOfExperience() {
        Double y = yearsNumber();
        if (y == null) {
            return "";
        }
        return y == Math.rint(y) ? String.valueOf(y.longValue()) : String.valueOf(Math.round(y * 10) / 10.0);
    }

    Double yearsNumber() {
        Object o = data.get("years_of_experience");
        if (o instanceof Number n) {
            return n.doubleValue() < 0 ? null : n.doubleValue();
        }
        String s = o == null ? "" : o.toString().trim();
        Matcher m = Pattern.compile("\\d+(\\.\\d+)?").matcher(s);
        return m.find() ? Double.valueOf(m.group()) : null;
    }

    /** The first (most recent) education entry, or the entry's school ({@link #forEntry}). */
    Map<String, Object> education() {
        if (school != null) {
            return school;
        }
        List<Map<String, Object>> list = maps("education");
        return list.isEmpty() ? Map.of() : list.get(0);
    }

    String school() {
        return str(education(), "institution", "school", "university", "college");
    }

    String degree() {
        return str(education(), "degree", "degree_type", "level");
    }

    String fieldOfStudy() {
        return str(education(), "field", "field_of_study", "major", "discipline");
    }

    String graduationYear() {
        Object y = education().get("graduation_year");
        String s = y == null ? "" : y.toString().replaceAll("\\.0+$", "").trim();
        return s.matches("(19|20)\\d\\d") ? s : "";
    }

    /**
     * The current job: the one still held (see {@link WorkHistory#recentFirst}), else the first listed; or the
     * entry's job ({@link #forEntry}).
     */
    Map<String, Object> currentJob() {
        if (job != null) {
            return job;
        }
        List<Map<String, Object>> jobs = maps("work_history");
        List<Map<String, Object>> recent = WorkHistory.recentFirst(jobs);
        if (!recent.isEmpty() && WorkHistory.ongoing(recent.get(0))) {
            return recent.get(0);
        }
        return jobs.isEmpty() ? Map.of() : jobs.get(0);
    }

    /** Whether the current job (see {@link #currentJob}) is still held: no end date, or "Present". */
    boolean currentJobOngoing() {
        Map<String, Object> j = currentJob();
        if (j.isEmpty()) {
            return false;
        }
        String end = str(j, "end_date").toLowerCase(Locale.ROOT);
        return end.isEmpty() || end.contains("present") || end.contains("current");
    }

    /** The current job's start or end as {year, month} ("2019-03" → 2019, 03); empty parts when unknown. */
    String[] currentJobDate(boolean start) {
        String d = str(currentJob(), start ? "start_date" : "end_date");
        Matcher m = Pattern.compile("^((?:19|20)\\d\\d)(?:-(\\d{1,2}))?").matcher(d.trim());
        if (!m.find()) {
            return new String[] {"", ""};
        }
        String month = m.group(2) == null ? "" : (m.group(2).length() == 1 ? "0" + m.group(2) : m.group(2));
        return new String[] {m.group(1), month};
    }

    String currentCompany() {
        String c = str(currentJob(), "company", "employer", "organization");
        return c.isEmpty() && job == null ? str("current_company") : c;
    }

    String currentTitle() {
        String t = str(currentJob(), "title", "job_title", "position");
        return t.isEmpty() && job == null ? str("current_title", "title") : t;
    }

    List<String> skills() {
        Object o = data.get("skills");
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object s : l) {
                if (s instanceof Map<?, ?> m && m.get("name") != null) {
                    out.add(m.get("name").toString().trim());
                } else if (s != null && !s.toString().isBlank()) {
                    out.add(s.toString().trim());
                }
            }
        } else if (o instanceof String s && !s.isBlank()) {
            for (String part : s.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    /** Any other top-level string value, for keys this class does not model. */
    Optional<String> extra(String key) {
        String v = str(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    // --- reading helpers ---

    private String loc(String key) {
        Object l = data.get("location");
        if (l instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            String v = str((Map<String, Object>) m, key);
            if (!v.isEmpty()) {
                return v;
            }
        }
        return str(key);
    }

    private String str(String... keys) {
        return str(data, keys);
    }

    static String str(Map<String, Object> map, String... keys) {
        for (String k : keys) {
            Object v = map.get(k);
            if (v == null || v instanceof Map || v instanceof List) {
                continue;
            }
            String s = v instanceof Double d && d == Math.rint(d)
                    ? String.valueOf(d.longValue())
                    : v.toString().trim();
            if (!s.isEmpty() && !s.equalsIgnoreCase("null")) {
                return s;
            }
        }
        return "";
    }

    private Boolean bool(String... keys) {
        for (String k : keys) {
            Object v = data.get(k);
            if (v instanceof Boolean b) {
                return b;
            }
            if (v != null) {
                String s = v.toString().trim().toLowerCase(Locale.ROOT);
                if (s.matches("true|yes|y|1")) {
                    return true;
                }
                if (s.matches("false|no|n|0")) {
                    return false;
                }
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> maps(String key) {
        Object o = data.get(key);
        List<Map<String, Object>> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object e : l) {
                if (e instanceof Map<?, ?> m) {
                    out.add((Map<String, Object>) m);
                }
            }
        }
        return out;
    }

    private static String url(String u) {
        if (u.isEmpty() || u.matches("(?i)^[a-z][a-z0-9+.-]*://.*")) {
            return u;
        }
        return "https://" + u.replaceFirst("^/+", "");
    }

    static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                b.append(b.length() == 0 ? "" : ", ").append(p.trim());
            }
        }
        return b.toString();
    }
}
