package io.ghosthands.activities.engine.scrape;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Decides the posting's fields from what {@code posting-snapshot.js} collected on the page.
 *
 * <p>Order of trust: a schema.org {@code JobPosting} in JSON-LD ({@code source: "json-ld"}); else
 * one in microdata; else the DOM (ATS markup, h1, og: tags, labelled text). Fields the chosen
 * source lacks are filled from the DOM, so a JSON-LD posting without an apply target still gets
 * the page's apply link. A page with no structured posting counts as one only when enough of the
 * DOM looks like a posting (an apply control plus one more sign, or three signs); otherwise the
 * result says {@code job_posting_found: false} and carries the page's {@code <title>}.
 */
final class JobPostingExtractor {

    private final LocalDate today;

    JobPostingExtractor(LocalDate today) {
        this.today = today;
    }

    /** {@code result_data} for a page snapshot. Keys are always present; values null when not found. */
    Map<String, Object> extract(Map<String, Object> snapshot) {
        String url = str(snapshot.get("url"));
        Map<String, Object> dom = map(snapshot.get("dom"));
        Map<String, Object> meta = map(snapshot.get("meta"));

        JsonLd ld = JsonLd.read(strings(snapshot.get("ldJson")));
        PostingFields fields = null;
        String source = "dom";
        if (!ld.postings().isEmpty()) {
            fields = fromPostings(ld.postings(), new PostingReader(ld::resolve, today));
            source = "json-ld";
        } else {
            List<JsonNode> microdata = new ArrayList<>();
            for (Object item : list(snapshot.get("microdata"))) {
                microdata.add(PostingReader.tree(map(item)));
            }
            if (!microdata.isEmpty()) {
                fields = fromPostings(microdata, new PostingReader(UnaryOperator.identity(), today));
            }
        }
        boolean structured = fields != null;

        DomSigns signs = new DomSigns();
        PostingFields fromDom = fromDom(snapshot, dom, meta, signs);
        if (fields == null) {
            fields = fromDom;
        } else {
            fields.fillFrom(fromDom);
        }

        boolean found = structured || signs.looksLikePosting(url);
        if (found && fields.company == null && fields.title != null) {
            String jobTitle = fields.title;
            fields.company = companyFromTitle(jobTitle, str(meta.get("og:title")))
                    .or(() -> companyFromTitle(jobTitle, str(snapshot.get("documentTitle"))))
                    .orElse(null);
        }
        if (!found) {
            // not a posting: the page's own title is the honest name for it
            String pageTitle = str(snapshot.get("documentTitle"));
            fields.title = pageTitle != null ? pageTitle : fields.title;
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("title", fields.title);
        result.put("company", fields.company);
        result.put("location", fields.location);
        result.put("remote", fields.remote);
        result.put("employment_type", fields.employmentType);
        result.put("salary_range", fields.salary == null ? null : fields.salary.toMap());
        result.put("description", fields.description);
        result.put("posted_date", fields.postedDate == null ? null : fields.postedDate.toString());
        result.put("apply_url", fields.applyUrl);
        result.put("source", source);
        result.put("url", url);
        result.put("job_posting_found", found);
        return result;
    }

    /** The first posting with a title wins; later ones (the same job repeated) only fill gaps. */
    private static PostingFields fromPostings(List<JsonNode> postings, PostingReader reader) {
        PostingFields first = null;
        for (JsonNode node : postings) {
            PostingFields f = reader.read(node);
            if (first == null) {
                first = f;
            } else if (first.title == null || first.title.equals(f.title)) {
                first.fillFrom(f);
            }
        }
        return first;
    }

    // ---- DOM

    private static final Set<String> ATS_NAMES = Set.of(
            "greenhouse",
            "lever",
            "workday",
            "myworkdayjobs",
            "smartrecruiters",
            "ashby",
            "workable",
            "linkedin",
            "indeed",
            "glassdoor",
            "bamboohr",
            "icims",
            "jobvite",
            "taleo",
            "recruitee",
            "personio",
            "teamtailor",
            "breezy",
            "breezy hr",
            "jazzhr",
            "applytojob",
            "successfactors",
            "ziprecruiter",
            "monster",
            "welcome to the jungle",
            "wellfound",
            "angellist",
            "dice",
            "careers",
            "jobs",
            "job board",
            "careers page",
            "home");
    private static final Pattern TITLE_SEPARATORS = Pattern.compile("\\s+(?:[-|–—·:•]|at)\\s+");
    private static final Pattern LOCATION_LINE =
            Pattern.compile("(?im)^[ \\t]*(?:job[ \\t]+|work[ \\t]+)?locations?[ \\t]*[:\\-–][ \\t]*(\\S.{1,80})$");
    private static final Pattern TYPE_LINE = Pattern.compile(
            "(?im)^[ \\t]*(?:employment|job|position|work|contract|role)[ \\t]+type[ \\t]*[:\\-–][ \\t]*(\\S.{1,40})$");
    private static final Pattern POSTED = Pattern.compile(
            "(?i)\\b(?:date\\s+posted|posted\\s+date|posted\\s+on|posted|published\\s+on|published)\\s*[:\\-–]?\\s*(.{1,40})");
    private static final Pattern LABEL = Pattern.compile(
            "(?i)^(?:job\\s+|work\\s+)?(?:locations?|employment\\s+type|job\\s+type|type)\\s*[:\\-–]?\\s*");
    private static final Pattern JOB_URL = Pattern.compile(
            "(?i)/(jobs?|careers?|positions?|openings?|vacanc(y|ies)|postings?|requisitions?|job-?details?|stellen|emplois?)([/?#._-]|$)");

    /** Signs that a page without structured data is a job posting. */
    private static final class DomSigns {
        boolean applyControl;
        int others;

        boolean looksLikePosting(String url) {
            int score = others + (url != null && JOB_URL.matcher(url).find() ? 1 : 0);
            return applyControl ? score >= 1 : score >= 3;
        }
    }

    private PostingFields fromDom(
            Map<String, Object> snapshot, Map<String, Object> dom, Map<String, Object> meta, DomSigns signs) {
        PostingFields f = new PostingFields();
        String url = str(snapshot.get("url"));
        String body = str(snapshot.get("bodyText"));
        String head = body == null ? "" : body.substring(0, Math.min(body.length(), 6000));

        f.title = titleFrom(snapshot, dom, meta, signs);

        f.company = cleanCompany(str(dom.get("company")));
        if (f.company == null) {
            String site = PlainText.oneLine(str(meta.get("og:site_name")));
            if (site != null && !ATS_NAMES.contains(site.toLowerCase(Locale.ROOT))) {
                f.company = site;
            }
        }

        String location = stripLabel(str(dom.get("location")));
        if (location == null) {
            Matcher m = LOCATION_LINE.matcher(head);
            location = m.find() ? PlainText.oneLine(m.group(1)) : null;
        }
        if (location != null) {
            f.location = location;
            f.remote =
                    location.toLowerCase(Locale.ROOT).matches(".*\\b(remote|anywhere|telecommute|work from home)\\b.*");
            signs.others++;
        }

        f.employmentType = employmentTypeFrom(str(dom.get("employmentType")), head);
        if (f.employmentType != null) {
            signs.others++;
        }

        String description = PlainText.normalise(str(dom.get("description")));
        if (description == null) {
            description =
                    PlainText.normalise(firstNonNull(str(meta.get("og:description")), str(meta.get("description"))));
        }
        f.description = description;

        f.salary = SalaryRange.parse(body).orElse(null);
        if (f.salary != null) {
            signs.others++;
        }

        f.postedDate = postedDate(dom, meta, head, signs);

        f.applyUrl = applyUrl(dom, url, signs);
        return f;
    }

    /** The job's title: the ATS's own (a sign of a posting), the h1, an h2 the page title repeats, og:title, the title. */
    private static String titleFrom(
            Map<String, Object> snapshot, Map<String, Object> dom, Map<String, Object> meta, DomSigns signs) {
        String atsTitle = str(dom.get("atsTitle"));
        List<String> h1s = strings(dom.get("h1s"));
        String ogTitle = str(meta.get("og:title"));
        if (atsTitle != null) {
            signs.others++;
            return atsTitle;
        } else if (!h1s.isEmpty()) {
            return h1s.get(0);
        } else if (headingInTitle(strings(dom.get("h2s")), str(snapshot.get("documentTitle"))) != null) {
            // pages without an h1 often title the job in an h2 that the <title> repeats
            return headingInTitle(strings(dom.get("h2s")), str(snapshot.get("documentTitle")));
        } else if (ogTitle != null) {
            return PlainText.oneLine(ogTitle);
        } else {
            return str(snapshot.get("documentTitle"));
        }
    }

    /** Where the apply control leads: the first link's target, else a form's action or this page. */
    private static String applyUrl(Map<String, Object> dom, String url, DomSigns signs) {
        String applyUrl = null;
        for (Object c : list(dom.get("applyControls"))) {
            Map<String, Object> control = map(c);
            String href = str(control.get("href"));
            String action = str(control.get("formAction"));
            signs.applyControl = true;
            if (href != null) {
                applyUrl = href;
                break;
            }
            if (applyUrl == null) {
                applyUrl = action != null ? action : url; // a button that applies on this very page
            }
        }
        return applyUrl;
    }

    private static String headingInTitle(List<String> headings, String pageTitle) {
        if (pageTitle == null) {
            return null;
        }
        String lower = pageTitle.toLowerCase(Locale.ROOT);
        for (String h : headings) {
            if (h.length() >= 3 && lower.contains(h.toLowerCase(Locale.ROOT))) {
                return h;
            }
        }
        return null;
    }

    private LocalDate postedDate(Map<String, Object> dom, Map<String, Object> meta, String head, DomSigns signs) {
        Matcher m = POSTED.matcher(head);
        while (m.find()) {
            Optional<LocalDate> d = PostedDate.parse(m.group(1), today);
            if (d.isPresent()) {
                signs.others++;
                return d.get();
            }
        }
        for (Object t : list(dom.get("times"))) {
            Map<String, Object> time = map(t);
            Optional<LocalDate> d = PostedDate.parse(str(time.get("datetime")), today)
                    .or(() -> PostedDate.parse(str(time.get("text")), today));
            if (d.isPresent()) {
                return d.get();
            }
        }
        for (String key : List.of("dateposted", "article:published_time", "date", "publish-date")) {
            Optional<LocalDate> d = PostedDate.parse(str(meta.get(key)), today);
            if (d.isPresent()) {
                return d.get();
            }
        }
        return null;
    }

    private static String employmentTypeFrom(String element, String head) {
        if (element != null) {
            String stripped = stripLabel(element);
            String known = firstKnownType(stripped);
            if (known != null) {
                return known;
            }
            if (stripped != null && stripped.length() <= 30) {
                return EmploymentType.normalise(stripped);
            }
        }
        Matcher m = TYPE_LINE.matcher(head);
        if (m.find()) {
            return EmploymentType.normalise(PlainText.oneLine(m.group(1)));
        }
        // a short header line such as "Berlin · Full-time · Engineering"
        for (String line : head.split("\n")) {
            if (line.length() <= 80) {
                String known = firstKnownType(line);
                if (known != null) {
                    return known;
                }
            }
        }
        return null;
    }

    private static String firstKnownType(String line) {
        if (line == null) {
            return null;
        }
        for (String part : line.split("\\s*[·|•,/;]\\s*|\\s+-\\s+")) {
            String known = EmploymentType.known(part);
            if (known != null) {
                return known;
            }
        }
        return null;
    }

    private static String stripLabel(String text) {
        if (text == null) {
            return null;
        }
        String s = PlainText.oneLine(LABEL.matcher(text.trim()).replaceFirst(""));
        return s == null || s.length() < 2 ? null : s;
    }

    private static String cleanCompany(String text) {
        if (text == null) {
            return null;
        }
        String s = PlainText.oneLine(text.replaceFirst("(?i)^(at|company:?)\\s+", ""));
        return s == null || s.length() < 2 ? null : s;
    }

    /**
     * "Senior Engineer - Acme", "Acme | Senior Engineer", "Senior Engineer at Acme": the one segment
     * that is neither the job title nor an ATS or generic word is taken as the company.
     */
    static Optional<String> companyFromTitle(String jobTitle, String pageTitle) {
        if (pageTitle == null || jobTitle == null) {
            return Optional.empty();
        }
        String t = pageTitle.replaceFirst("(?i)^job application for\\s+", "");
        String lowerTitle = jobTitle.toLowerCase(Locale.ROOT);
        if (!t.toLowerCase(Locale.ROOT).contains(lowerTitle)) {
            return Optional.empty();
        }
        List<String> rest = new ArrayList<>();
        for (String segment : TITLE_SEPARATORS.split(t)) {
            String s = segment.trim().replaceFirst("(?i)\\s+(careers|jobs|job board)$", "");
            String lower = s.toLowerCase(Locale.ROOT);
            if (s.isEmpty()
                    || lower.equals(lowerTitle)
                    || lowerTitle.contains(lower)
                    || ATS_NAMES.contains(lower)
                    || lower.contains("hiring")) {
                continue;
            }
            rest.add(s);
        }
        return rest.size() == 1 && rest.get(0).length() <= 60 ? Optional.of(rest.get(0)) : Optional.empty();
    }

    // ---- loosely typed snapshot values

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static String str(Object o) {
        if (o == null) {
            return null;
        }
        String s = o.toString();
        return s.isBlank() ? null : s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    private static List<Object> list(Object o) {
        return o instanceof List ? new ArrayList<>((List<?>) o) : List.of();
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object each : list(o)) {
            if (each != null) {
                out.add(each.toString());
            }
        }
        return out;
    }
}
