package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import io.ghosthands.activities.engine.PageQuiet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The repeated parts of a form, work history and education: one entry per job or school of the
 * profile, added with the part's "Add" button when the page shows fewer; which profile item each
 * entry answers for; and how a field of an entry is named in the report.
 */
final class RepeatedEntries {

    private static final Pattern ADD_ENTRY = Pattern.compile(
            "(?i)^add( another| new| more| an?)?( (work )?experience| employment| job| position| education| school| degree)?( entry)?$");
    private static final Pattern WORK_PART = Pattern.compile(
            "(?i)work experience|employment( history)?|work history|^experience$" + "|professional experience");
    private static final Pattern EDUCATION_PART = Pattern.compile("(?i)\\beducation\\b|\\bschools?\\b|academic");
    static final List<String> PARTS = List.of("work", "education");

    private final ApplyAttempt a;

    RepeatedEntries(ApplyAttempt attempt) {
        this.a = attempt;
    }

    /** The profile's items for a repeated part: its jobs, or its schools. */
    private List<Map<String, Object>> items(String part) {
        return part.equals("work") ? a.profile.jobs() : a.profile.schools();
    }

    /** How many entries of {@code part} the page shows (from the scan's entry indices). */
    static int entryCount(PageScan scan, String part) {
        return scan.fields().stream()
                .filter(f -> f.visible() && f.context().equals(part))
                .mapToInt(f -> f.entry() + 1)
                .max()
                .orElse(0);
    }

    /**
     * Which profile item each entry of the page's work-history and education parts answers for. An
     * entry that already names an item (its company or title, its school: typed by us on an earlier
     * pass, or by the site from the résumé) keeps it; the other entries take the items left, most
     * recent first; entries beyond the profile's items get none (an empty map).
     */
    Map<String, List<Map<String, Object>>> assign(PageScan scan) {
        Map<String, List<Map<String, Object>>> out = new HashMap<>();
        for (String part : PARTS) {
            List<Map<String, Object>> items = items(part);
            int n = entryCount(scan, part);
            List<Map<String, Object>> given = new ArrayList<>(Collections.nCopies(n, (Map<String, Object>) null));
            Set<Integer> used = new HashSet<>();
            for (int e = 0; e < n; e++) {
                int best = namedItem(scan, part, e, items, used);
                if (best >= 0) {
                    given.set(e, items.get(best));
                    used.add(best);
                }
            }
            int next = 0;
            for (int e = 0; e < n; e++) {
                if (given.get(e) != null) {
                    continue;
                }
                while (next < items.size() && used.contains(next)) {
                    next++;
                }
                if (next < items.size()) {
                    given.set(e, items.get(next));
                    used.add(next++);
                } else {
                    given.set(e, Map.of());
                }
            }
            out.put(part, given);
        }
        return out;
    }

    /**
     * The item (not yet {@code used}) entry {@code entry} names most: two roles at one company, the one
     * whose title it shows too; -1 when it names none.
     */
    private static int namedItem(
            PageScan scan, String part, int entry, List<Map<String, Object>> items, Set<Integer> used) {
        List<String> shown = scan.fields().stream()
                .filter(f -> f.visible()
                        && f.context().equals(part)
                        && f.entry() == entry
                        && !f.isEmpty()
                        && !f.kind().equals("checkbox"))
                .map(FormField::value)
                .toList();
        int best = -1;
        long bestNamed = 0;
        for (int i = 0; i < items.size(); i++) {
            long named = used.contains(i)
                    ? 0
                    : WorkHistory.names(part, items.get(i)).stream()
                            .filter(name -> shown.stream()
                                    .anyMatch(v -> Text.normalize(v).equals(Text.normalize(name))))
                            .count();
            if (named > bestNamed) {
                best = i;
                bestNamed = named;
            }
        }
        return best;
    }

    /** The enabled "Add" / "Add Another" button of a page's work-history or education part, if any. */
    private static Optional<PageScan.Button> addButton(PageScan scan, String part) {
        for (PageScan.Button b : scan.buttons()) {
            if (b.disabled() || !ADD_ENTRY.matcher(b.text().trim()).matches()) {
                continue;
            }
            String where = b.section().isBlank() ? b.text() : b.section();
            String context = !b.part().isEmpty()
                    ? b.part()
                    : WORK_PART.matcher(where).find()
                                    || WORK_PART.matcher(b.text()).find()
                            ? "work"
                            : EDUCATION_PART.matcher(where).find()
                                            || EDUCATION_PART.matcher(b.text()).find()
                                    ? "education"
                                    : "";
            if (context.equals(part)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /**
     * A "Work Experience" or "Education" part (Workday-style: a heading and an "Add" / "Add Another"
     * button that opens one more entry whose questions repeat) showing fewer entries than the profile
     * has jobs or schools: entries are added, one click at a time, until there is one per item (as a
     * person copies their résumé in), never more. A click that adds no entry is not repeated, nor is
     * one on a part whose entries the scan cannot tell apart. Returns the page after, or null when
     * nothing was added.
     */
    PageScan addEntries(Page p, FieldFiller filler, Frame frame, PageScan scan) {
        PageScan now = scan;
        boolean added = false;
        for (String part : PARTS) {
            int wanted = a.profile.entriesToAdd(part);
            String key = now.url() + "|" + part;
            while (true) {
                int entries = entryCount(now, part);
                boolean unclear = now.fields().stream()
                        .anyMatch(f -> f.visible() && f.context().equals(part) && f.entry() < 0);
                Optional<PageScan.Button> b = addButton(now, part);
                int clicks = a.addClicks.getOrDefault(key, 0);
                if (entries >= wanted || unclear || b.isEmpty() || clicks >= wanted || a.addStalled.contains(key)) {
                    break;
                }
                PageScan after = addOne(p, filler, frame, part, key, b.get(), entries);
                if (after == null) {
                    break;
                }
                added = true;
                now = after;
                if (entryCount(now, part) <= entries) {
                    break;
                }
            }
        }
        return added ? now : null;
    }

    /**
     * Clicks a part's "Add" button once; returns the page after (null when the button went away), and
     * says in the job's events whether a new entry appeared.
     */
    private PageScan addOne(
            Page p, FieldFiller filler, Frame frame, String part, String key, PageScan.Button b, int entries) {
        String section = b.section().isBlank() ? b.text() : b.section();
        if (!b.part().isEmpty()
                && !(part.equals("work") ? WORK_PART : EDUCATION_PART)
                        .matcher(section)
                        .find()) {
            section = part.equals("work")
                    ? "Work Experience"
                    : "Education"; // the part named by its entries, not by a heading
        }
        try {
            filler.click(frame.locator(b.selector()).first());
        } catch (PlaywrightException e) {
            a.addStalled.add(key); // the button went away: nothing added
            return null;
        }
        a.addClicks.put(key, a.addClicks.getOrDefault(key, 0) + 1);
        PageQuiet.await(p, ApplyEngine.FOLLOW_UP_QUIET_MS, 1000);
        PageScan now = a.scanner.scan(frame);
        if (entryCount(now, part) <= entries) {
            a.addStalled.add(key);
            a.ctx.event(
                    "entry_not_added",
                    "Clicked \"" + b.text() + "\" in \"" + Text.clip(section, 60) + "\" but no new entry appeared",
                    Map.of("section", section));
            return now;
        }
        Map<String, Object> item = assign(now).get(part).get(entries);
        String what = part.equals("work")
                ? WorkHistory.describeJob(item)
                : WorkHistory.names(part, item).stream().findFirst().orElse("");
        a.ctx.event(
                "entry_added",
                "Added entry " + (entries + 1) + " to \"" + Text.clip(section, 60) + "\" for "
                        + (part.equals("work") ? "the job " : "the school ") + Text.clip(what, 80),
                Map.of("section", section, "entry", entries + 1));
        return now;
    }

    /**
     * The caller's answer to a field of a repeated entry given under the name the engine listed it by
     * when it had none ("Work experience 2 (…): From Month"), word for word: another entry's same
     * question is another question.
     */
    Optional<Answer> entryAnswer(FormField f) {
        if (a.filling == null || !PARTS.contains(f.context())) {
            return Optional.empty();
        }
        String listed = missingQuestion(a, f, a.filling);
        Object v = listed.equals(f.question()) ? null : a.qa.get(listed);
        if (v == null || v.toString().isBlank()) {
            return Optional.empty();
        }
        String s = v.toString().trim();
        return Optional.of(
                Text.normalize(s).matches("yes|y|true|no|n|false")
                        ? Answer.yesNo(
                                Text.normalize(s).startsWith("y")
                                        || Text.normalize(s).equals("true"),
                                "qa_overrides",
                                List.of(s))
                        : Answer.of(s, "qa_overrides"));
    }

    /** A field's question as reported: with its entry when its part shows several (see {@link #missingQuestion}). */
    static String shownQuestion(ApplyAttempt a, FormField f) {
        return a.filling == null ? f.question() : missingQuestion(a, f, a.filling);
    }

    /**
     * How a required field left empty is listed: a field of a repeated entry says which entry and, for
     * a date part ("Month"), which date ("Work experience 2 (Software Engineer at Difference Labs): To Month").
     */
    static String missingQuestion(ApplyAttempt a, FormField f, PageScan scan) {
        String part = f.context();
        if (!PARTS.contains(part) || entryCount(scan, part) < 2 && f.entry() == 0) {
            return f.question();
        }
        String q = Text.normalize(f.question()).matches("month|year|day|mm|yyyy|dd")
                        && !f.section().isBlank()
                ? f.section().replaceAll("[*✱]", "").trim() + " " + f.question()
                : f.question();
        if (f.entry() < 0) {
            return (part.equals("work") ? "Work experience" : "Education") + ": " + q;
        }
        Map<String, Object> item = a.book.itemOf(f);
        String what = part.equals("work")
                ? WorkHistory.describeJob(item)
                : WorkHistory.names(part, item).stream().findFirst().orElse("");
        return (part.equals("work") ? "Work experience " : "Education ") + (f.entry() + 1)
                + (what.isEmpty() ? "" : " (" + what + ")") + ": " + q;
    }
}
