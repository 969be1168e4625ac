package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.LoadState;
import io.ghosthands.activities.browser.BlockerDetector;
import io.ghosthands.activities.engine.EngineContext;
import io.ghosthands.activities.engine.JobEngine;
import io.ghosthands.activities.engine.JobSpec;
import io.ghosthands.activities.engine.Outcome;
import io.ghosthands.activities.engine.PageQuiet;
import io.ghosthands.activities.engine.PageShots;
import io.ghosthands.workflows.ErrorCode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The deterministic apply engine: on a job listing or application form, fills every field it can
 * answer from the candidate profile and the caller's answers, attaches the résumé, walks the pages,
 * and (for {@code apply} jobs) submits once. It never guesses: a required question it cannot answer
 * stops it with {@link Outcome.NeedsAnswers}.
 *
 * <p>Use {@link #create(JobSpec, EngineContext)}; call {@link #proceed(Page)} until it returns
 * something other than {@link Outcome.Blocked} (after a human cleared the blocker, call it again on
 * the same instance), then on {@link Outcome.ReadyToSubmit} call {@link #submit(Page)} once. A
 * {@code fill_form} engine never submits: it ends with {@link Outcome.Done} and {@code submitted:false}.
 */
public final class ApplyEngine implements JobEngine {

  /** Most loop turns one {@code proceed} call takes (pages, refills, apply clicks together). */
  static final int MAX_TURNS = 40;
  /** The same page signature this many times in a row means advancing does not work. */
  static final int STUCK_AFTER = 3;

  /**
   * How long pages get to react.
   *
   * @param advanceMs after a Next click (SPA re-render or navigation), before the page counts as unchanged
   * @param confirmMs after the final submit, for a confirmation to show
   * @param rejectMs after the final submit, before validation errors count as a rejection (a
   *     slow submission must not be mistaken for one: a second click could apply twice)
   */
  record Waits(int advanceMs, int confirmMs, int rejectMs) {
    static final Waits DEFAULT = new Waits(6000, 15000, 2500);
  }

  private static final Pattern CONSENT = Pattern.compile(
      "agree|acknowledge|terms|consent|privacy|certify|confirm|authori[sz]e|accept|understand|attest|have read"
          + "|true and (correct|complete|accurate)|accurate"
          // the same in the languages application pages are often in (normalized: accents kept)
          + "|concordo|aceito|acepto|autorizo|consiento|j accepte|accepte|consens|einverstanden|stimme\\w* zu|zustimm\\w*"
          + "|akzeptier\\w*|accetto|acconsento|ga akkoord|akkoord|zgadzam|godkänner|samtycker|samtykker");
  private static final Pattern RESUME = Pattern.compile("(?i)r[ée]sum[ée]|\\bcv\\b|curriculum");
  private static final Pattern NOT_RESUME = Pattern.compile("(?i)cover|transcript|portfolio|photo|picture|writing|sample|certificate|other");
  private static final Pattern UPLOAD_BUTTON = Pattern.compile("(?i)upload|attach|choose file|select file|browse|add file");
  private static final List<String> DECLINE = List.of(
      "Decline to self-identify", "I don't wish to answer", "I do not wish to answer", "Prefer not to say",
      "Prefer not to answer", "Decline to answer", "I choose not to disclose", "decline", "prefer not", "not wish to",
      "dont wish to", "do not want to", "not to answer", "not to disclose", "not to say", "rather not", "choose not");

  private final JobSpec spec;
  private final EngineContext ctx;
  private final boolean submitAllowed;
  private final Waits waits;
  private final CandidateProfile profile;
  private final Map<String, Object> qa;
  private AnswerBook book;
  private final FieldScanner scanner = new FieldScanner();

  // state kept across proceed/submit calls of one job attempt
  private Page active;
  private final Map<String, Object> filled = new LinkedHashMap<>();
  private final Set<String> filledKeys = new LinkedHashSet<>();
  private final Map<String, String> typed = new HashMap<>(); // field key → text typed into it
  private final Set<String> unansweredOptional = new LinkedHashSet<>();
  private final List<String> consents = new ArrayList<>();
  private final List<String> screenshots = new ArrayList<>();
  private final Set<String> pages = new LinkedHashSet<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Set<String> uploaded = new LinkedHashSet<>();
  /** What was done with each field seen, by field key, in the order first seen (result_data.fields). */
  private final Map<String, FieldReport> report = new LinkedHashMap<>();
  /** The countries the job's pages named in their headings, from the posting on. */
  private final Set<String> jobCountries = new java.util.TreeSet<>();
  private String resumeName;
  private String lastSignature;
  private int sameSignature;
  private int submitClicks;
  /** When the form was last found complete; a submit right after it needs no new settle. */
  private long readyNanos = System.nanoTime() - READY_FRESH_NS - 1;
  private static final long READY_FRESH_NS = 2_000_000_000L;
  private boolean submitRejected;
  private int shots;

  /**
   * @param submitAllowed false for {@code fill_form}: the engine stops on the complete final page
   */
  public ApplyEngine(JobSpec spec, EngineContext ctx, boolean submitAllowed) {
    this(spec, ctx, submitAllowed, Waits.DEFAULT);
  }

  ApplyEngine(JobSpec spec, EngineContext ctx, boolean submitAllowed, Waits waits) {
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

  /** The engine for {@code apply} (submits) or {@code fill_form} (never submits). */
  public static ApplyEngine create(JobSpec spec, EngineContext ctx) {
    return switch (spec.jobType()) {
      case "apply" -> new ApplyEngine(spec, ctx, true);
      case "fill_form" -> new ApplyEngine(spec, ctx, false);
      default -> throw new IllegalArgumentException("ApplyEngine runs apply and fill_form jobs, not " + spec.jobType());
    };
  }

  @Override
  public Outcome proceed(Page page) {
    Page p = current(page);
    // the stuck guard counts our own attempts: a human may have changed the page since the last call
    lastSignature = null;
    sameSignature = 0;
    try {
      return walk(p);
    } catch (PlaywrightException e) {
      return crashed(e);
    }
  }

  @Override
  public void addAnswers(Map<String, Object> answers) {
    if (answers == null || answers.isEmpty()) {
      return;
    }
    qa.putAll(answers);
    book = new AnswerBook(profile, new QuestionMatcher(qa));
    attempts.clear(); // the questions that had no answer get their turns again
  }

  @Override
  public Outcome submit(Page page) {
    if (!submitAllowed) {
      return new Outcome.Failed(ErrorCode.INTERNAL_ERROR.code(), "a fill_form job never submits", Map.of());
    }
    Page p = current(page);
    try {
      return submitOnce(p);
    } catch (PlaywrightException e) {
      return crashed(e);
    }
  }

  // --- the page loop ---

  private Outcome walk(Page start) {
    Page p = start;
    for (int turn = 0; turn < MAX_TURNS; turn++) {
      settle(p);
      Optional<BlockerDetector.Blocker> blocker = ctx.blocker(p);
      if (blocker.isPresent()) {
        return blocked(p, blocker.get());
      }
      FieldScanner.Scanned s = scanner.scan(p);
      // where the job is: the posting says it, the application pages after it often do not
      jobCountries.addAll(PageContext.of(s.scan()).countries());
      if (s.scan().cookieButton() >= 0) {
        new FieldFiller(p, s.frame()).click(s.frame().locator(s.scan().buttons().get(s.scan().cookieButton()).selector()));
        ctx.event("cookie_banner_dismissed", "Accepted the cookie banner", Map.of());
        settle(p);
        s = scanner.scan(p);
      }
      List<FormField> fillable = fillable(s.scan());
      if (FormNavigator.confirmed(s.scan(), fillable.size())
          || submitClicks > 0 && FormNavigator.confirmedAfterSubmit(s.scan(), fillable.size())) {
        // a "Continue" that was in fact the final submit, or a submit that went through during a pause
        return done(p, s.scan(), true);
      }
      String sig = s.scan().signature();
      sameSignature = sig.equals(lastSignature) ? sameSignature + 1 : 1;
      lastSignature = sig;
      if (sameSignature >= STUCK_AFTER) {
        return stuck(p, s.scan());
      }
      // a listing: an apply button and no way to send a form (a newsletter box is not the application)
      Optional<PageScan.Button> apply = FormNavigator.apply(s.scan());
      if (apply.isPresent() && FormNavigator.next(s.scan()).isEmpty()
          && FormNavigator.submit(s.scan(), fillable.size()).isEmpty()) {
        p = followApply(p, s, apply.get());
        continue;
      }
      pages.add(describe(s.scan()));
      ctx.progress("filling_form", Math.min(85, 10 + 15 * pages.size()), "Filling page " + pages.size() + ": " + describe(s.scan()));
      PageFill fill = fillPage(p, s, sameSignature > 1);
      if (fill.failure() != null) {
        screenshot(p, "failed");
        return fill.failure();
      }
      if (!fill.missing().isEmpty()) {
        screenshot(p, "needs-answers");
        ctx.event("needs_answers", "Required questions without an answer: " + String.join("; ", fill.missing()),
            Map.of("questions", fill.missing()));
        return new Outcome.NeedsAnswers(fill.missing());
      }
      PageScan scan = fill.scan();
      int fields = fillable(scan).size();
      Optional<PageScan.Button> next = FormNavigator.next(scan);
      Optional<PageScan.Button> submit = FormNavigator.submit(scan, fields);
      if (next.isPresent()) {
        screenshot(p, "page-" + pages.size());
        advance(p, fill.frame(), scan, next.get());
        continue;
      }
      if (submit.isPresent()) {
        screenshot(p, "ready");
        if (!submitAllowed) {
          ctx.event("form_filled", "Form complete; stopped before submitting (fill_form)", Map.of("fields", filled.size()));
          return done(p, scan, false);
        }
        ctx.progress("ready_to_submit", 88, "Form complete, ready to submit");
        readyNanos = System.nanoTime();
        return new Outcome.ReadyToSubmit(new LinkedHashMap<>(filled));
      }
      screenshot(p, "no-form");
      return new Outcome.Failed(ErrorCode.FORM_NOT_FOUND.code(),
          fields == 0 ? "No application form or apply button on the page" : "No Next or Submit button on the form",
          details(p, scan));
    }
    screenshot(p, "stuck");
    return new Outcome.Failed(ErrorCode.STUCK.code(), "Gave up after " + MAX_TURNS + " steps", Map.of("final_url", p.url()));
  }

  private Outcome submitOnce(Page p) {
    if (System.nanoTime() - readyNanos > READY_FRESH_NS) {
      settle(p); // the page has had time to change since it was found complete
    }
    FieldScanner.Scanned s = scanner.scan(p);
    int fields = fillable(s.scan()).size();
    if (FormNavigator.confirmed(s.scan(), fields) || submitClicks > 0 && FormNavigator.confirmedAfterSubmit(s.scan(), fields)) {
      return done(p, s.scan(), true);
    }
    // a second click only when the page turned the first one down (validation errors or a challenge)
    if (submitClicks >= 2 || (submitClicks == 1 && !submitRejected)) {
      return new Outcome.Failed(ErrorCode.SUBMISSION_UNCONFIRMED.code(),
          "Submit was already clicked; not clicking it again", details(p, s.scan()));
    }
    for (int round = 0; round < 2 && submitClicks < 2; round++) {
      Optional<PageScan.Button> button = FormNavigator.submit(s.scan(), fillable(s.scan()).size());
      if (button.isEmpty()) {
        screenshot(p, "no-submit");
        return new Outcome.Failed(ErrorCode.FORM_NOT_FOUND.code(), "No submit button on the page", details(p, s.scan()));
      }
      ctx.progress("submitting", 92, "Submitting the application");
      ctx.event("submit_clicked", "Clicked \"" + button.get().text() + "\"", Map.of("attempt", submitClicks + 1));
      submitClicks++;
      submitRejected = false;
      new FieldFiller(p, s.frame()).click(s.frame().locator(button.get().selector()).first());

      long start = System.currentTimeMillis();
      long end = start + waits.confirmMs();
      PageScan last = s.scan();
      Frame frame = s.frame();
      boolean look = false; // the first look right after the click: a quick page has answered already
      while (System.currentTimeMillis() < end) {
        if (look) {
          p.waitForTimeout(30);
        }
        look = true;
        FieldScanner.Scanned now = scanQuietly(p);
        if (now == null) {
          continue; // navigating
        }
        last = now.scan();
        frame = now.frame();
        if (FormNavigator.confirmedAfterSubmit(last, fillable(last).size())) {
          // the confirmation is up: a short quiet is enough for the final screenshot to show it whole
          PageQuiet.await(p, FOLLOW_UP_QUIET_MS, 1000);
          FieldScanner.Scanned fin = scanQuietly(p);
          return done(p, fin == null ? last : fin.scan(), true);
        }
        Optional<BlockerDetector.Blocker> blocker = ctx.blocker(p);
        if (blocker.isPresent()) {
          submitRejected = true; // the challenge stood between the click and the submission
          return blocked(p, blocker.get());
        }
        if (rejected(s.scan(), last) && System.currentTimeMillis() > start + waits.rejectMs()) {
          break; // the form is still here and says what is wrong
        }
      }
      if (!rejected(s.scan(), last)) {
        screenshot(p, "unconfirmed");
        return new Outcome.Failed(ErrorCode.SUBMISSION_UNCONFIRMED.code(),
            "Submit was clicked but no confirmation appeared", details(p, last));
      }
      submitRejected = true;
      ctx.event("validation_errors", "The form rejected the submit: " + String.join("; ", last.errors()),
          Map.of("errors", last.errors()));
      if (round == 1) {
        break;
      }
      PageFill refill = fillPage(p, new FieldScanner.Scanned(frame, last), true);
      if (refill.failure() != null) {
        return refill.failure();
      }
      if (!refill.missing().isEmpty()) {
        screenshot(p, "needs-answers");
        return new Outcome.NeedsAnswers(refill.missing());
      }
      s = new FieldScanner.Scanned(refill.frame(), refill.scan());
    }
    screenshot(p, "rejected");
    return new Outcome.Failed(ErrorCode.STUCK.code(), "The form rejected the submit twice", details(p, scanner.scan(p).scan()));
  }

  private static final Pattern VALIDATION = Pattern.compile(
      "(?i)required|please (fill|enter|select|provide|complete|correct|choose)|invalid|must (be|provide|contain)|can ?not be"
          + "|missing|is not valid|correction|incomplete|error");

  /**
   * Whether the page turned a submit down: the submit button is still there and it shows new error
   * messages worded as validation, or marks another field invalid. Anything less is not a reason to click
   * the final submit again.
   */
  private static boolean rejected(PageScan before, PageScan after) {
    if (FormNavigator.submit(after, fillable(after).size()).isEmpty()) {
      return false;
    }
    boolean newErrors = after.errors().stream()
        .anyMatch(e -> !before.errors().contains(e) && VALIDATION.matcher(e).find());
    Set<String> invalidBefore = new java.util.HashSet<>();
    before.fields().stream().filter(FormField::invalid).forEach(f -> invalidBefore.add(f.key()));
    boolean invalidField = after.fields().stream().anyMatch(f -> f.invalid() && f.visible() && !invalidBefore.contains(f.key()));
    return newErrors || invalidField;
  }

  // --- filling one page ---

  /** What filling a page left: the latest scan, required questions without answer, or a failure. */
  private record PageFill(Frame frame, PageScan scan, List<String> missing, Outcome failure) {}

  private PageFill fillPage(Page p, FieldScanner.Scanned s, boolean refill) {
    Frame frame = s.frame();
    PageScan scan = s.scan();
    boolean parsing = false; // a résumé went in during this pass: the site may be parsing it
    boolean checkTyped = false; // a parse may have prefilled over what was typed: look again
    for (int pass = 0; pass < 4; pass++) {
      PageContext here = PageContext.of(scan);
      jobCountries.addAll(here.countries());
      book.onPage(here.withCountries(jobCountries));
      FieldFiller filler = new FieldFiller(p, frame);
      boolean changed = false;
      PageScan withEntries = !parsing && !refill ? addEntries(p, filler, frame, scan) : null;
      if (withEntries != null) {
        // the work-history and education parts got an entry per job and school: fill them on a fresh look
        scan = withEntries;
      }
      book.entries(assign(scan));
      ResumeStep resume = attachResume(frame, scan, filler);
      if (resume.failure() != null) {
        return new PageFill(frame, scan, List.of(), resume.failure());
      }
      // Sites parse an attached résumé and prefill fields. The engine types on meanwhile (the
      // profile is the truth, and waiting for the parse costs every job), looks before each field
      // whether the form re-rendered, and after the pass waits for the parse and types again
      // whatever it put over the profile's answers.
      boolean look = resume.attached();
      parsing |= resume.attached();
      changed |= resume.attached();
      boolean stale = false;
      filling = scan;
      for (FormField f : scan.fields()) {
        if (!f.visible() || f.kind().equals("file")) {
          continue;
        }
        boolean redo = refill && f.invalid() && filledKeys.contains(f.key());
        boolean overwritten = checkTyped && !f.isEmpty() && typed.containsKey(f.key())
            && !sameText(f.value(), typed.get(f.key()));
        boolean draft = !f.isEmpty() && !redo && !overwritten && !filledKeys.contains(f.key())
            && !report.containsKey(f.key());
        // a national number only once the page's own country-code field says the candidate's code
        boolean phoneCode = phoneCodeSet(scan);
        if (draft && optsOut(f)) {
          if (filler.uncheck(f)) {
            note(f, "unchecked", "", "privacy");
            ctx.event("opt_in_unchecked", "Unticked the optional \"" + Text.clip(f.question(), 120) + "\"", Map.of());
            changed = true;
          }
          continue;
        }
        if (draft && !replacesDraft(f, phoneCode)) {
          note(f, "kept", f.secret() ? "********" : f.value(), "page");
          continue;
        }
        if (!f.isEmpty() && !redo && !overwritten && !draft) {
          continue;
        }
        if (attempts.getOrDefault(f.key(), 0) >= (refill ? 3 : 2)) {
          continue;
        }
        // Typing into a field leaves the form as it was; a pick, a click, an upload or a parse
        // (its requests still running or just answered) may re-render it. Only then is the scan
        // checked before using it, a round trip a field.
        boolean parseBusy = parsing && PageQuiet.networkQuietMs(p, RESUME_PARSE_MS) < 300;
        if ((look || parseBusy) && frame.locator(f.selector()).count() == 0) {
          stale = true; // the page re-rendered under the scan
          break;
        }
        String shown = fillOne(filler, f, redo, phoneCode);
        look = !f.kind().equals("text");
        if (shown != null) {
          changed = true;
          record(f, shown);
        }
      }
      filler.blurTyped();
      checkTyped = false;
      if (!changed && !stale) {
        break;
      }
      if (parsing) {
        // a parse request may take seconds: it counts as the page's work for that long
        PageQuiet.await(p, QUIET_MS, RESUME_PARSE_MS, RESUME_PARSE_MS);
        parsing = false;
        checkTyped = true;
      } else {
        PageQuiet.await(p, FOLLOW_UP_QUIET_MS, 1000);
      }
      scan = scanner.scan(frame); // answers can reveal follow-up questions
    }
    List<String> missing = new ArrayList<>();
    book.entries(assign(scan));
    filling = scan;
    for (FormField f : fillable(scan)) {
      boolean empty = f.kind().equals("checkbox") ? !"checked".equals(f.value()) : f.isEmpty();
      if (!empty) {
        unansweredOptional.remove(missingQuestion(f, scan));
        continue;
      }
      if (!report.containsKey(f.key()) || !f.kind().equals("file") && report.get(f.key()).status().equals("kept")) {
        note(f, "unanswered", "", ""); // every field seen is reported, uploads other than the résumé too
      }
      if (f.required()) {
        missing.add(missingQuestion(f, scan));
      } else if (!f.kind().equals("checkbox")) {
        unansweredOptional.add(missingQuestion(f, scan));
      }
    }
    return new PageFill(frame, scan, Text.distinct(missing), null);
  }

  /**
   * Fills one field; returns what it shows now, or null when it stays as it was.
   *
   * @param phoneCode the page has its own country-code field, so phone numbers go in without it
   */
  private String fillOne(FieldFiller filler, FormField f, boolean redo, boolean phoneCode) {
    attempts.merge(f.key(), 1, Integer::sum);
    Optional<Answer> answer = entryAnswer(f).or(() -> book.answer(f, phoneCode));
    if (f.kind().equals("checkbox")) {
      // a box of a group answers the group's question ("How did you hear about us?": LinkedIn);
      // its own label is only an option ("LinkedIn" is not asking for the profile's LinkedIn URL)
      Optional<Answer> group = book.groupAnswer(f);
      if (group.isPresent()) {
        answer = group;
      } else if (answer.isPresent() && !answer.get().affirmative() && !AnswerBook.isDecline(answer.get().value())
          && !Text.normalize(answer.get().value()).matches("no|n|false|0|off|unchecked|disagree")) {
        answer = Optional.empty(); // a box is ticked or not: a value for a text field does not say which
      }
      if (answer.isPresent()) {
        boolean yes = answer.get().affirmative();
        String shown = yes && filler.check(f) ? "checked" : null;
        note(f, !yes ? "unchecked" : shown != null ? "filled" : "not_offered", yes ? "checked" : "", answer.get().source());
        return shown;
      }
      if (declinesGroup(f)) {
        // a self-identification group ("Which of these communities do you belong to?") asked of
        // someone who declines them all: its own "prefer not to answer" box, nothing else
        boolean decline = AnswerBook.isDecline(f.question());
        String shown = decline && filler.check(f) ? "checked" : null;
        note(f, !decline ? "unchecked" : shown != null ? "filled" : "not_offered", decline ? "checked" : "", "decline");
        return shown;
      }
      String said = Text.normalize(f.question());
      boolean acceptance = ACCEPTANCE.matcher(said).find() && ACCEPTED_TEXT.matcher(said).find() && !MARKETING.matcher(said).find();
      if ((f.required() || acceptance) && CONSENT.matcher(said).find()) {
        if (filler.check(f)) {
          consents.add(f.question());
          ctx.event("consent_checked", "Checked the required consent \"" + Text.clip(f.question(), 120) + "\"", Map.of());
          note(f, "filled", "checked", "consent");
          return "checked";
        }
      }
      note(f, "unanswered", "", "");
      return null;
    }
    if (answer.isEmpty() && f.options().size() == 1 && !f.kind().equals("checkbox")) {
      // a list with one entry, an acknowledgement ("I agree to the terms above", "Select to
      // acknowledge review"): the notice the application is made under, accepted as its box would be
      String only = Text.normalize(f.options().get(0).text());
      if (ACKNOWLEDGES.matcher(only).find() && !MARKETING.matcher(only + " " + Text.normalize(f.question())).find()) {
        String chosen = filler.fill(f, Answer.of(f.options().get(0).text(), "consent"), false);
        if (chosen != null) {
          consents.add(f.question());
          ctx.event("consent_checked", "Chose \"" + Text.clip(chosen, 80) + "\" for \"" + Text.clip(f.question(), 80) + "\"", Map.of());
          note(f, "filled", chosen, "consent");
          return chosen;
        }
      }
    }
    if (answer.isEmpty()) {
      if (f.required() && AnswerBook.demographic(f)) {
        String chosen = filler.chooseOption(f, DECLINE);
        if (chosen != null) {
          ctx.event("demographic_declined", "Chose \"" + chosen + "\" for the required \"" + Text.clip(f.question(), 80) + "\"", Map.of());
          note(f, "filled", chosen, "decline");
          return chosen;
        }
      }
      note(f, "unanswered", "", "");
      return null;
    }
    String shown = filler.fill(f, answer.get(), redo);
    if (shown == null && !filler.silent && AnswerBook.demographic(f) && AnswerBook.isDecline(answer.get().value())) {
      // a decline worded as the page's terse "no entry" / "keine Angabe": taken only when an option
      // says exactly that ("No" is never a way of declining)
      Optional<FormField.Option> terse = f.options().stream()
          .filter(o -> TERSE_DECLINES.contains(Text.normalize(o.text()))).findFirst();
      if (terse.isPresent()) {
        shown = filler.fill(f, Answer.of(terse.get().text(), "qa_overrides"), redo);
      }
    }
    if (shown == null && !filler.silent && AnswerBook.demographic(f) && !AnswerBook.isDecline(answer.get().value())) {
      // the caller's own answer is not among the options ("I am not a veteran" where they said "I am
      // not a protected veteran"): declining discloses nothing they did not say
      String chosen = filler.chooseOption(f, DECLINE);
      if (chosen != null) {
        ctx.event("demographic_declined", "Chose \"" + chosen + "\" for \"" + Text.clip(f.question(), 80)
            + "\": the caller's answer is not offered", Map.of());
        note(f, "filled", chosen, "decline");
        return chosen;
      }
    }
    if (shown == null && filler.silent) {
      attempts.put(f.key(), 99); // a widget that showed nothing will show nothing on the next pass
    }
    String value = f.secret() ? "********" : answer.get().value();
    note(f, shown != null ? "filled" : "not_offered", shown != null && !f.secret() ? shown : value, answer.get().source());
    return shown;
  }

  private static final Pattern ADD_ENTRY = Pattern.compile(
      "(?i)^add( another| new| more| an?)?( (work )?experience| employment| job| position| education| school| degree)?( entry)?$");
  private static final Pattern WORK_PART = Pattern.compile("(?i)work experience|employment( history)?|work history|^experience$"
      + "|professional experience");
  private static final Pattern EDUCATION_PART = Pattern.compile("(?i)\\beducation\\b|\\bschools?\\b|academic");
  private static final List<String> PARTS = List.of("work", "education");
  /** "Add" clicks per part of a page (URL + part): never more than the profile has items for it. */
  private final Map<String, Integer> addClicks = new HashMap<>();
  /** Parts of a page whose "Add" button added no entry when clicked: not clicked again. */
  private final Set<String> addStalled = new java.util.HashSet<>();

  /** The profile's items for a repeated part: its jobs, or its schools. */
  private List<Map<String, Object>> items(String part) {
    return part.equals("work") ? profile.jobs() : profile.schools();
  }

  /** How many entries of {@code part} the page shows (from the scan's entry indices). */
  private static int entryCount(PageScan scan, String part) {
    return scan.fields().stream().filter(f -> f.visible() && f.context().equals(part))
        .mapToInt(f -> f.entry() + 1).max().orElse(0);
  }

  /**
   * Which profile item each entry of the page's work-history and education parts answers for. An
   * entry that already names an item (its company or title, its school: typed by us on an earlier
   * pass, or by the site from the résumé) keeps it; the other entries take the items left, most
   * recent first; entries beyond the profile's items get none (an empty map).
   */
  private Map<String, List<Map<String, Object>>> assign(PageScan scan) {
    Map<String, List<Map<String, Object>>> out = new HashMap<>();
    for (String part : PARTS) {
      List<Map<String, Object>> items = items(part);
      int n = entryCount(scan, part);
      List<Map<String, Object>> given = new ArrayList<>(java.util.Collections.nCopies(n, (Map<String, Object>) null));
      Set<Integer> used = new java.util.HashSet<>();
      for (int e = 0; e < n; e++) {
        int entry = e;
        List<String> shown = scan.fields().stream()
            .filter(f -> f.visible() && f.context().equals(part) && f.entry() == entry && !f.isEmpty() && !f.kind().equals("checkbox"))
            .map(FormField::value).toList();
        // the item it names most (two roles at one company: the one whose title it shows too)
        int best = -1;
        long bestNamed = 0;
        for (int i = 0; i < items.size(); i++) {
          long named = used.contains(i) ? 0 : WorkHistory.names(part, items.get(i)).stream()
              .filter(name -> shown.stream().anyMatch(v -> Text.normalize(v).equals(Text.normalize(name)))).count();
          if (named > bestNamed) {
            best = i;
            bestNamed = named;
          }
        }
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

  /** The enabled "Add" / "Add Another" button of a page's work-history or education part, if any. */
  private static Optional<PageScan.Button> addButton(PageScan scan, String part) {
    for (PageScan.Button b : scan.buttons()) {
      if (b.disabled() || !ADD_ENTRY.matcher(b.text().trim()).matches()) {
        continue;
      }
      String where = b.section().isBlank() ? b.text() : b.section();
      String context = !b.part().isEmpty() ? b.part()
          : WORK_PART.matcher(where).find() || WORK_PART.matcher(b.text()).find() ? "work"
          : EDUCATION_PART.matcher(where).find() || EDUCATION_PART.matcher(b.text()).find() ? "education" : "";
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
  private PageScan addEntries(Page p, FieldFiller filler, Frame frame, PageScan scan) {
    PageScan now = scan;
    boolean added = false;
    for (String part : PARTS) {
      int wanted = profile.entriesToAdd(part);
      String key = now.url() + "|" + part;
      while (true) {
        int entries = entryCount(now, part);
        boolean unclear = now.fields().stream().anyMatch(f -> f.visible() && f.context().equals(part) && f.entry() < 0);
        Optional<PageScan.Button> b = addButton(now, part);
        int clicks = addClicks.getOrDefault(key, 0);
        if (entries >= wanted || unclear || b.isEmpty() || clicks >= wanted || addStalled.contains(key)) {
          break;
        }
        String section = b.get().section().isBlank() ? b.get().text() : b.get().section();
        if (!b.get().part().isEmpty() && !(part.equals("work") ? WORK_PART : EDUCATION_PART).matcher(section).find()) {
          section = part.equals("work") ? "Work Experience" : "Education"; // the part named by its entries, not by a heading
        }
        try {
          filler.click(frame.locator(b.get().selector()).first());
        } catch (PlaywrightException e) {
          addStalled.add(key); // the button went away: nothing added
          break;
        }
        addClicks.put(key, clicks + 1);
        added = true;
        PageQuiet.await(p, FOLLOW_UP_QUIET_MS, 1000);
        now = scanner.scan(frame);
        if (entryCount(now, part) <= entries) {
          addStalled.add(key);
          ctx.event("entry_not_added", "Clicked \"" + b.get().text() + "\" in \"" + Text.clip(section, 60)
              + "\" but no new entry appeared", Map.of("section", section));
          break;
        }
        Map<String, Object> item = assign(now).get(part).get(entries);
        String what = part.equals("work") ? WorkHistory.describeJob(item)
            : WorkHistory.names(part, item).stream().findFirst().orElse("");
        ctx.event("entry_added", "Added entry " + (entries + 1) + " to \"" + Text.clip(section, 60) + "\" for "
            + (part.equals("work") ? "the job " : "the school ") + Text.clip(what, 80),
            Map.of("section", section, "entry", entries + 1));
      }
    }
    return added ? now : null;
  }

  /**
   * The caller's answer to a field of a repeated entry given under the name the engine listed it by
   * when it had none ("Work experience 2 (…): From Month"), word for word: another entry's same
   * question is another question.
   */
  private Optional<Answer> entryAnswer(FormField f) {
    if (filling == null || !PARTS.contains(f.context())) {
      return Optional.empty();
    }
    String listed = missingQuestion(f, filling);
    Object v = listed.equals(f.question()) ? null : qa.get(listed);
    if (v == null || v.toString().isBlank()) {
      return Optional.empty();
    }
    String s = v.toString().trim();
    return Optional.of(Text.normalize(s).matches("yes|y|true|no|n|false")
        ? Answer.yesNo(Text.normalize(s).startsWith("y") || Text.normalize(s).equals("true"), "qa_overrides", List.of(s))
        : Answer.of(s, "qa_overrides"));
  }

  /** A field's question as reported: with its entry when its part shows several (see {@link #missingQuestion}). */
  private String shownQuestion(FormField f) {
    return filling == null ? f.question() : missingQuestion(f, filling);
  }

  /**
   * How a required field left empty is listed: a field of a repeated entry says which entry and, for
   * a date part ("Month"), which date ("Work experience 2 (Software Engineer at Difference Labs): To Month").
   */
  private String missingQuestion(FormField f, PageScan scan) {
    String part = f.context();
    if (!PARTS.contains(part) || entryCount(scan, part) < 2 && f.entry() == 0) {
      return f.question();
    }
    String q = Text.normalize(f.question()).matches("month|year|day|mm|yyyy|dd") && !f.section().isBlank()
        ? f.section().replaceAll("[*✱]", "").trim() + " " + f.question() : f.question();
    if (f.entry() < 0) {
      return (part.equals("work") ? "Work experience" : "Education") + ": " + q;
    }
    Map<String, Object> item = book.itemOf(f);
    String what = part.equals("work") ? WorkHistory.describeJob(item)
        : WorkHistory.names(part, item).stream().findFirst().orElse("");
    return (part.equals("work") ? "Work experience " : "Education ") + (f.entry() + 1)
        + (what.isEmpty() ? "" : " (" + what + ")") + ": " + q;
  }

  /** The latest scan of the page being filled (the groups a box belongs to). */
  private PageScan filling;

  /**
   * Whether {@code box} belongs to a group of boxes with its own "prefer not to answer" box, one of
   * whose boxes names a self-identification the caller declined to give ("Person with disability"
   * when they declined the disability question): ticking any other box could give it away.
   */
  private boolean declinesGroup(FormField box) {
    if (box.section().isBlank() || filling == null) {
      return false;
    }
    List<FormField> group = filling.fields().stream()
        .filter(o -> o.kind().equals("checkbox") && o.section().equals(box.section())).toList();
    return group.size() >= 2 && group.stream().anyMatch(o -> AnswerBook.isDecline(o.question()))
        && group.stream().anyMatch(o -> book.declinesTopicOf(o.question()));
  }

  /**
   * A value the page already held (a saved draft, a default): replaced when the profile or the
   * caller's answers say something else, kept when they say nothing about the field.
   */
  private boolean replacesDraft(FormField f, boolean phoneCode) {
    if (f.kind().equals("checkbox")) {
      return false; // a box the page ticked (a remembered consent) is left as it is
    }
    Optional<Answer> a = book.answer(f, phoneCode);
    if (a.isEmpty()) {
      return false;
    }
    for (String sp : a.get().spellings()) {
      if (sameText(f.value(), sp)) {
        return false;
      }
    }
    return OptionChooser.choose(List.of(f.value()), a.get().spellings()) < 0;
  }

  /**
   * Accepting the privacy notice or terms the application is made under ("I have read and accept the
   * privacy policy"): applying means accepting it, marked required or not.
   */
  private static final Pattern ACCEPTANCE = Pattern.compile(
      "\\b(have read|read and (understand|accept|agree)|i (hereby )?(agree|accept|acknowledge|consent|understand|confirm))\\b");
  /** What is accepted: the notice or terms the application is made under (before or after "I agree"). */
  private static final Pattern ACCEPTED_TEXT = Pattern.compile(
      "\\b(privacy|data protection|terms|conditions|processing|policy|notice|statement|gdpr|lgpd)\\b");

  /** Declines as some pages word them, too short to be looked for inside other options. */
  private static final Set<String> TERSE_DECLINES = Set.of(
      "no entry", "keine angabe", "not specified", "no indication", "no answer", "sans reponse", "non precise", "n a");

  /** An option that only acknowledges or accepts ("I agree to the terms above", "Select to acknowledge review"). */
  private static final Pattern ACKNOWLEDGES = Pattern.compile(
      "\\b(i )?(agree|accept|acknowledge|understand|confirm|consent|have read)\\b");

  private static final Pattern MARKETING = Pattern.compile(
      "newsletter|marketing|promotional|job alerts?|(job|career|vacanc\\w*) (posting )?(notifications?|alerts?|updates)"
          + "|receive (new |future )?(job|career)|hear (more )?about (future |other |new )?(career|job|opportunit)"
          + "|future (job |career )?opportunit|talent (community|pool|network)|text messages|\\bsms\\b"
          + "|(contact|notify|inform) me (about|of) (other|future|new|similar)|similar (jobs|roles|positions|vacancies)");

  /**
   * An optional marketing opt-in the page ticked for the candidate (job alerts, newsletters, a talent
   * pool, text messages): nobody asked them, so it is unticked unless the caller said yes to it.
   */
  private boolean optsOut(FormField f) {
    return f.kind().equals("checkbox") && "checked".equals(f.value()) && !f.required()
        && MARKETING.matcher(Text.normalize(f.question())).find() && book.answer(f, false).isEmpty();
  }

  /** Whether the page's phone country-code field (if any) shows the candidate's code. */
  private boolean phoneCodeSet(PageScan scan) {
    for (FormField c : scan.fields()) {
      if (!c.visible() || !isPhoneCode(c)) {
        continue;
      }
      FieldReport r = report.get(c.key());
      if (r != null && r.status().equals("filled") || !c.isEmpty() && r == null && !replacesDraft(c, true)
          || r != null && r.status().equals("kept")) {
        return true;
      }
    }
    return false;
  }

  /** Records what became of a field (for {@code result_data.fields}); the latest word on a field wins. */
  private void note(FormField f, String status, String value, String source) {
    FieldReport previous = report.get(f.key());
    if (previous != null && previous.status().equals("filled") && !status.equals("filled")) {
      return; // a later pass that found nothing to do does not undo what was done
    }
    report.put(f.key(), new FieldReport(shownQuestion(f), f.kind(), f.required(), f.id(), f.name(), status,
        value == null ? "" : value, source));
  }

  /** What the engine did with each field it saw, in page order of first sight. */
  public List<FieldReport> fieldReport() {
    return List.copyOf(report.values());
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
    return s == null ? "" : s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
  }

  private static boolean isPhoneCode(FormField f) {
    return Pattern.compile("country (phone )?code|phone (country )?code|dial(l)?ing code|calling code|phone country")
        .matcher(Text.normalize(f.question())).find();
  }

  private void record(FormField f, String shown) {
    String label = shownQuestion(f);
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

  /** Whether the résumé was attached just now, or why the job cannot go on. */
  private record ResumeStep(boolean attached, Outcome failure) {}

  private static final ResumeStep NOTHING = new ResumeStep(false, null);

  /** Attaches the résumé once; a required résumé without a file fails the job. */
  private ResumeStep attachResume(Frame frame, PageScan scan, FieldFiller filler) {
    List<FormField> files = scan.fields().stream().filter(f -> f.kind().equals("file")).toList();
    FormField target = files.stream().filter(f -> RESUME.matcher(f.question() + " " + f.name() + " " + f.id()).find()).findFirst()
        .orElse(files.stream().filter(f -> !NOT_RESUME.matcher(f.question() + " " + f.name()).find()).findFirst().orElse(null));
    Path resume = spec.resumeFile();
    boolean haveFile = resume != null && Files.isRegularFile(resume);
    if (target != null) {
      String key = target.key() + "|" + scan.url();
      if (!target.isEmpty() || uploaded.contains(key)) {
        return NOTHING;
      }
      if (!haveFile) {
        if (target.required()) {
          return new ResumeStep(false, new Outcome.Failed(ErrorCode.RESUME_UNAVAILABLE.code(),
              "The form requires a résumé and the job has none", Map.of("field", target.question())));
        }
        unansweredOptional.add(target.question());
        return NOTHING;
      }
      ctx.progress("uploading_resume", Math.min(85, 10 + 15 * pages.size()), "Attaching the résumé");
      if (!filler.upload(target, resume)) {
        return NOTHING;
      }
      uploaded.add(key);
      resumeName = resume.getFileName().toString();
      filled.put(target.question().isBlank() ? "Resume" : target.question(), resumeName);
      unansweredOptional.remove(target.question());
      ctx.event("resume_uploaded", "Attached " + resumeName, Map.of("field", target.question()));
      return new ResumeStep(true, null);
    }
    // no file input in the DOM yet: an upload button that opens a file chooser
    if (!haveFile || resumeName != null) {
      return NOTHING;
    }
    Optional<PageScan.Button> button = scan.buttons().stream()
        .filter(b -> UPLOAD_BUTTON.matcher(b.text()).find() && !NOT_RESUME.matcher(b.text()).find())
        .filter(b -> RESUME.matcher(b.text()).find() || RESUME.matcher(scan.text()).find())
        .findFirst();
    if (button.isPresent() && filler.uploadThrough(frame.locator(button.get().selector()).first(), resume)) {
      resumeName = resume.getFileName().toString();
      filled.put("Resume", resumeName);
      ctx.event("resume_uploaded", "Attached " + resumeName + " through the file chooser", Map.of());
      return new ResumeStep(true, null);
    }
    // no input and no chooser: a zone that takes a file only by drag and drop, where the page asks
    // for a résumé; dropped as a person would, and kept only when the page then shows the file
    boolean dropped;
    try {
      Locator zone = frame.locator(DROP_ZONE).filter(new Locator.FilterOptions().setHasText(RESUME_TEXT)).first();
      dropped = RESUME.matcher(scan.text()).find() && zone.count() > 0 && filler.dropOn(zone, resume);
    } catch (PlaywrightException e) {
      dropped = false; // a zone that went away or will not take it: as if there were none
    }
    if (dropped) {
      resumeName = resume.getFileName().toString();
      filled.put("Resume", resumeName);
      ctx.event("resume_uploaded", "Dropped " + resumeName + " on the résumé drop zone", Map.of());
      return new ResumeStep(true, null);
    }
    return NOTHING;
  }

  /** {@link #RESUME} in a form the browser's own regular expressions read (no inline flags). */
  private static final Pattern RESUME_TEXT = Pattern.compile("r[ée]sum[ée]|\\bcv\\b|curriculum", Pattern.CASE_INSENSITIVE);
  private static final String DROP_ZONE = "[class*=dropzone i], [class*=drop-zone i], [class*=drop_zone i], [data-testid*=dropzone i],"
      + " [data-automation-id*=drop i], [aria-label*=drop i]";

  // --- moving between pages ---

  private void advance(Page p, Frame frame, PageScan before, PageScan.Button next) {
    ctx.event("page_advanced", "Clicked \"" + next.text() + "\" on " + describe(before), Map.of("page", pages.size()));
    new FieldFiller(p, frame).click(frame.locator(next.selector()).first());
    waitForChange(p, before);
  }

  /** Waits until the page shows something else, or shows errors, or the wait runs out. */
  private void waitForChange(Page p, PageScan before) {
    long end = System.currentTimeMillis() + waits.advanceMs();
    while (System.currentTimeMillis() < end) {
      p.waitForTimeout(150);
      FieldScanner.Scanned now = scanQuietly(p);
      if (now == null) {
        continue;
      }
      if (!now.scan().signature().equals(before.signature())) {
        return;
      }
      if (!now.scan().errors().isEmpty() && !now.scan().errors().equals(before.errors())) {
        ctx.event("validation_errors", "The page reports: " + String.join("; ", now.scan().errors()),
            Map.of("errors", now.scan().errors()));
        return;
      }
    }
  }

  private Page followApply(Page p, FieldScanner.Scanned s, PageScan.Button apply) {
    ctx.event("apply_clicked", "Clicked \"" + apply.text() + "\" on the job listing", Map.of("url", p.url()));
    List<Page> opened = new ArrayList<>();
    java.util.function.Consumer<Page> onPage = opened::add;
    p.context().onPage(onPage);
    try {
      new FieldFiller(p, s.frame()).click(s.frame().locator(apply.selector()).first());
      p.waitForTimeout(100); // a new tab, if the link opens one
      settle(p);
    } finally {
      p.context().offPage(onPage);
    }
    if (!opened.isEmpty()) {
      Page tab = opened.get(opened.size() - 1);
      tab.waitForLoadState(LoadState.DOMCONTENTLOADED);
      tab.bringToFront();
      ctx.event("tab_opened", "The application opened in a new tab", Map.of("url", tab.url()));
      active = tab;
      return tab;
    }
    return p;
  }

  /** Lets the page finish what it is doing: parsed, its scripts' requests answered, its DOM still. */
  private static void settle(Page p) {
    try {
      p.waitForLoadState(LoadState.DOMCONTENTLOADED, new Page.WaitForLoadStateOptions().setTimeout(15000));
    } catch (PlaywrightException e) {
      // a slow document: the quiet wait below still bounds the settle
    }
    // busy pages (analytics, long polling) never go quiet; then the DOM as it is after 3 s is what we work with
    PageQuiet.await(p, QUIET_MS, 3000);
  }

  /**
   * How long a page must be still to count as settled. A page that renders from its requests' answers
   * counts as busy while they run, and re-renders within a frame or two of the last one; 100 ms
   * without a DOM change or a request is a page that has finished.
   */
  static final int QUIET_MS = 100;

  /** Answers may reveal follow-up questions; a script renders them at once. */
  static final int FOLLOW_UP_QUIET_MS = 40;

  /** The longest wait for a site to parse an attached résumé and prefill the form. */
  static final int RESUME_PARSE_MS = 6000;

  private FieldScanner.Scanned scanQuietly(Page p) {
    try {
      return scanner.scan(p);
    } catch (PlaywrightException e) {
      return null; // the document is being replaced
    }
  }

  private Page current(Page given) {
    if (active == null || active.isClosed() || active.context() != given.context()) {
      active = given;
    }
    return active;
  }

  private static List<FormField> fillable(PageScan scan) {
    return scan.fields().stream().filter(f -> f.visible()).toList();
  }

  private static String describe(PageScan scan) {
    String h = !scan.step().isBlank() ? scan.step() : !scan.heading().isBlank() ? scan.heading() : scan.title();
    return Text.clip(h == null || h.isBlank() ? scan.url() : h, 80);
  }

  // --- outcomes ---

  /** What the engine did so far, as {@code result_data} reports it: on success, and on failure too. */
  private Map<String, Object> work() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("fields_filled", new LinkedHashMap<>(filled));
    r.put("questions_unanswered", new ArrayList<>(unansweredOptional));
    r.put("fields", fieldReport().stream().map(FieldReport::toMap).toList());
    r.put("pages_visited", Math.max(1, pages.size()));
    return r;
  }

  private Outcome done(Page p, PageScan scan, boolean submitted) {
    screenshot(p, submitted ? "confirmation" : "final");
    Map<String, Object> r = work();
    r.put("confirmation_text", submitted ? emptyToNull(FormNavigator.confirmationText(scan)) : null);
    r.put("confirmation_id", submitted ? FormNavigator.confirmationId(scan) : null);
    r.put("final_url", p.url());
    r.put("submitted", submitted);
    r.put("resume_uploaded", resumeName != null);
    if (!consents.isEmpty()) {
      r.put("consents_checked", new ArrayList<>(consents));
    }
    String host = host(p.url());
    String summary = submitted
        ? "Application submitted on " + host + ": " + filled.size() + " fields on " + Math.max(1, pages.size()) + " page(s)"
            + (r.get("confirmation_id") != null ? ", confirmation " + r.get("confirmation_id") : "")
        : "Form filled on " + host + " (" + filled.size() + " fields on " + Math.max(1, pages.size())
            + " page(s)); stopped before submitting";
    ctx.progress(submitted ? "submitted" : "form_filled", 100, summary);
    return new Outcome.Done(r, summary, new ArrayList<>(screenshots));
  }

  private Outcome blocked(Page p, BlockerDetector.Blocker b) {
    screenshot(p, "blocked-" + b.reason().code());
    ctx.event("blocker_detected", b.description(), Map.of("reason", b.reason().code(), "url", p.url()));
    return new Outcome.Blocked(b);
  }

  private Outcome stuck(Page p, PageScan scan) {
    String shot = screenshot(p, "stuck");
    Map<String, Object> d = details(p, scan);
    if (shot != null) {
      d.put("screenshot_url", shot);
    }
    ctx.event("stuck", "The page did not change after " + STUCK_AFTER + " attempts", Map.of("url", p.url()));
    return new Outcome.Failed(ErrorCode.STUCK.code(),
        "The page \"" + describe(scan) + "\" did not change after " + STUCK_AFTER + " attempts", d);
  }

  private Outcome crashed(PlaywrightException e) {
    boolean gone = active != null && active.isClosed();
    String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return new Outcome.Failed(gone ? ErrorCode.BROWSER_CRASHED.code() : ErrorCode.INTERNAL_ERROR.code(),
        "Browser error while filling the form: " + Text.clip(first, 200), Map.of("exception", e.getClass().getSimpleName()));
  }

  private Map<String, Object> details(Page p, PageScan scan) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("final_url", p.url());
    d.put("page", describe(scan));
    if (!scan.errors().isEmpty()) {
      d.put("errors", scan.errors());
    }
    List<String> invalid = scan.fields().stream().filter(FormField::invalid).map(FormField::question).toList();
    if (!invalid.isEmpty()) {
      d.put("invalid_fields", invalid);
    }
    d.put("fields_filled", new LinkedHashMap<>(filled));
    // a failed job reports what it did as a finished one does (result_data), screenshots included
    Map<String, Object> work = work();
    work.put("final_url", p.url());
    work.put("resume_uploaded", resumeName != null);
    work.put("screenshot_urls", new ArrayList<>(screenshots));
    d.put("result_data", work);
    return d;
  }

  private String screenshot(Page p, String stage) {
    try {
      // JPEG: a tall form's full-page PNG takes Chromium about twice as long to encode, and is
      // several times larger to store, for a record of what the page showed
      byte[] jpeg = PageShots.fullPageJpeg(p, 80);
      String url = ctx.saveScreenshot(String.format("apply-%02d-%s.jpg", ++shots, stage), jpeg);
      if (url != null) {
        screenshots.add(url);
      }
      return url;
    } catch (PlaywrightException e) {
      return null; // a missing screenshot must not fail the job
    }
  }

  private static String host(String url) {
    try {
      String h = URI.create(url).getHost();
      return h == null ? url : h;
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  private static String emptyToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}
