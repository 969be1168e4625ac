package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import io.ghosthands.activities.engine.EngineContext;
import io.ghosthands.activities.engine.JobSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one job attempt of the apply engine knows and has done, kept across its {@code proceed} and
 * {@code submit} calls and shared by the parts that walk, fill and submit: what was filled (as the
 * result reports it), what each field became, the pages seen, the submit clicks.
 */
final class ApplyAttempt {

    /** When the form was last found complete, a submit within this needs no new settle. */
    static final long READY_FRESH_NS = 2_000_000_000L;

    final JobSpec spec;
    final EngineContext ctx;
    final boolean submitAllowed;
    final ApplyEngine.Waits waits;
    final CandidateProfile profile;
    final Map<String, Object> qa;
    AnswerBook book;
    final FieldScanner scanner = new FieldScanner();

    Page active;
    final Map<String, Object> filled = new LinkedHashMap<>();
    final Set<String> filledKeys = new LinkedHashSet<>();
    final Map<String, String> typed = new HashMap<>(); // field key → text typed into it
    final Set<String> unansweredOptional = new LinkedHashSet<>();
    final List<String> consents = new ArrayList<>();
    final List<String> screenshots = new ArrayList<>();
    final Set<String> pages = new LinkedHashSet<>();
    final Map<String, Integer> attempts = new HashMap<>();
    final Set<String> uploaded = new LinkedHashSet<>();
    /** What was done with each field seen, by field key, in the order first seen (result_data.fields). */
    final Map<String, FieldReport> report = new LinkedHashMap<>();
    /** The countries the job's pages named in their headings, from the posting on. */
    final Set<String> jobCountries = new TreeSet<>();
    /** "Add" clicks per part of a page (URL + part): never more than the profile has items for it. */
    final Map<String, Integer> addClicks = new HashMap<>();
    /** Parts of a page whose "Add" button added no entry when clicked: not clicked again. */
    final Set<String> addStalled = new HashSet<>();
    /** The latest scan of the page being filled (the groups a box belongs to). */
    PageScan filling;

    String resumeName;
    String lastSignature;
    int sameSignature;
    int submitClicks;
    /** When the form was last found complete; a submit right after it needs no new settle. */
    long readyNanos = System.nanoTime() - READY_FRESH_NS - 1;

    boolean submitRejected;
    int shots;

    ApplyAttempt(JobSpec spec, EngineContext ctx, boolean submitAllowed, ApplyEngine.Waits waits) {
        this.spec = spec;
        this.ctx = ctx;
        this.submitAllowed = submitAllowed;
        this.waits = waits;
        Map<String, Object> input = spec.inputData() == null ? Map.of() : spec.inputData();
        Map<String, Object> answers = new LinkedHashMap<>();
        // fill_form jobs may carry plain form_data (label → value); caller answers override it
        answers.putAll(map(input.get("form_data")));
        answers.putAll(map(input.get("qa_answers")));
        answers.putAll(map(input.get("qa_overrides")));
        this.qa = answers;
        this.profile = new CandidateProfile(map(input.get("user_data")));
        this.book = new AnswerBook(profile, new QuestionMatcher(qa));
    }

    /** Takes the caller's new answers: the questions that had none get their turns again. */
    void addAnswers(Map<String, Object> answers) {
        qa.putAll(answers);
        book = new AnswerBook(profile, new QuestionMatcher(qa));
        attempts.clear();
    }

    /** The page to work on: the tab the application opened in, while it is open in the same browser. */
    Page current(Page given) {
        if (active == null || active.isClosed() || active.context() != given.context()) {
            active = given;
        }
        return active;
    }

    FieldScanner.Scanned scanQuietly(Page p) {
        try {
            return scanner.scan(p);
        } catch (PlaywrightException e) {
            return null; // the document is being replaced
        }
    }

    /** Records what became of a field (for {@code result_data.fields}); the latest word on a field wins. */
    void note(FormField f, String status, String value, String source) {
        FieldReport previous = report.get(f.key());
        if (previous != null && previous.status().equals("filled") && !status.equals("filled")) {
            return; // a later pass that found nothing to do does not undo what was done
        }
        report.put(
                f.key(),
                new FieldReport(
                        RepeatedEntries.shownQuestion(this, f),
                        f.kind(),
                        f.required(),
                        f.id(),
                        f.name(),
                        status,
                        value == null ? "" : value,
                        source));
    }

    /** Records a filled field under its question (numbered when another field has the same one). */
    void record(FormField f, String shown) {
        String label = RepeatedEntries.shownQuestion(this, f);
        String key = label;
        for (int i = 2; filled.containsKey(key) && !filledKeys.contains(f.key()); i++) {
            key = label + " (" + i + ")";
        }
        filled.put(key, f.secret() ? "********" : shown);
        filledKeys.add(f.key());
        if (f.kind().equals("text")) {
            typed.put(f.key(), shown);
        }
        unansweredOptional.remove(label);
    }

    /** What the engine did with each field it saw, in page order of first sight. */
    List<FieldReport> fieldReport() {
        return List.copyOf(report.values());
    }

    /** What the engine did so far, as {@code result_data} reports it: on success, and on failure too. */
    Map<String, Object> work() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("fields_filled", new LinkedHashMap<>(filled));
        r.put("questions_unanswered", new ArrayList<>(unansweredOptional));
        r.put("fields", fieldReport().stream().map(FieldReport::toMap).toList());
        r.put("pages_visited", Math.max(1, pages.size()));
        return r;
    }

    /**
     * Whether a field still says what was typed into it: letters and digits compared, one containing
     * the other, since sites reformat what they are given ("+1 415 555 0123" shown as "(415) 555-0123").
     */
    static boolean sameText(String shown, String typedValue) {
        String a = lettersAndDigits(shown);
        String b = lettersAndDigits(typedValue);
        String shorter = a.length() <= b.length() ? a : b;
        String longer = a.length() <= b.length() ? b : a;
        return longer.contains(shorter) && shorter.length() * 10 >= longer.length() * 8;
    }

    private static String lettersAndDigits(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
