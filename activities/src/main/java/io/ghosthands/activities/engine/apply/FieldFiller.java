package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.SelectOption;
import io.ghosthands.activities.engine.PageQuiet;
import io.ghosthands.activities.engine.SecretTyping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Puts answers into scanned fields with Playwright locators, the way a person would: typing, picking
 * from dropdowns and suggestion lists, clicking radios and answer buttons, attaching files. Every
 * action has a short timeout so one odd widget cannot hold the job; a failed action returns false
 * and the field stays unanswered.
 */
final class FieldFiller {

  /** Per-action limit: a widget that does not respond in this time is not going to. */
  static final double ACTION_MS = 4000;

  private final Page page;
  private final Frame frame;

  FieldFiller(Page page, Frame frame) {
    this.page = page;
    this.frame = frame;
  }

  // A typed field keeps the focus until the next field takes it (which blurs it, as a person moving
  // on does) or until blurTyped(): one blur per run of typed fields instead of one per field.
  private boolean typedHasFocus;

  /** Fills {@code f} with {@code a}; returns the value now shown, or null when it could not. */
  String fill(FormField f, Answer a, boolean retype) {
    silent = false;
    if (f.secret()) {
      // ends the job's trace first; the field is masked in later screenshots
      SecretTyping.beforeTyping(page, a.value());
      try {
        return fillField(f, a, retype);
      } finally {
        SecretTyping.typedInto(frame.locator(f.selector()).first());
      }
    }
    return fillField(f, a, retype);
  }

  private String fillField(FormField f, Answer a, boolean retype) {
    if (!f.kind().equals("text")) {
      // a widget opened by a click must not find a typed field's suggestions lying over it
      blurTyped();
    }
    try {
      return switch (f.kind()) {
        case "text" -> typeText(f, a.value(), retype);
        case "select" -> select(f, a);
        case "radio", "choice" -> pickOption(f, a);
        case "checkbox" -> a.affirmative() && check(f) ? "checked" : null;
        case "combo" -> a.source().equals("profile.skills") && (f.type().equals("selectinput") || f.multiple())
            ? pickEach(f, a) : combo(f, a);
        case "popup" -> popup(f, a);
        default -> null;
      };
    } catch (PlaywrightException e) {
      closePopups();
      return null;
    }
  }

  /**
   * Picks the option whose text matches one of {@code spellings} in a choice (select, radio, button
   * group, dropdown); free-text fields are left alone, since typing a choice there is making it up.
   */
  String chooseOption(FormField f, List<String> spellings) {
    if (f.kind().equals("text") || f.kind().equals("checkbox") || f.kind().equals("file")) {
      return null;
    }
    return fill(f, new Answer(spellings.get(0), spellings, "decline"), false);
  }

  private Locator loc(FormField f) {
    return frame.locator(f.selector()).first();
  }

  private String typeText(FormField f, String value, boolean retype) {
    Locator l = loc(f);
    String v = f.maxLength() > 0 && value.length() > f.maxLength() ? value.substring(0, f.maxLength()) : value;
    if (retype) {
      // some widgets ignore a programmatic fill; keystrokes they cannot ignore
      l.fill("", new Locator.FillOptions().setTimeout(ACTION_MS));
      l.pressSequentially(v, new Locator.PressSequentiallyOptions().setDelay(10).setTimeout(ACTION_MS * 3));
    } else {
      l.fill(v, new Locator.FillOptions().setTimeout(ACTION_MS));
    }
    typedHasFocus = true;
    return v;
  }

  /**
   * Takes the focus from the field typed last, so that its change and blur handlers (validation,
   * formatting) run; call it before looking at the page again.
   */
  void blurTyped() {
    if (!typedHasFocus) {
      return;
    }
    typedHasFocus = false;
    try {
      frame.evaluate("() => { const e = document.activeElement; if (e && e !== document.body && e.blur) e.blur(); }");
    } catch (PlaywrightException e) {
      // navigating or re-rendered: nothing holds the focus then
    }
  }

  private String select(FormField f, Answer a) {
    List<String> texts = f.options().stream().map(FormField.Option::text).toList();
    int i = OptionChooser.choose(texts, a.spellings());
    if (i < 0) {
      return null;
    }
    FormField.Option o = f.options().get(i);
    Locator l = loc(f);
    // selectOption fires input and change without taking the focus: nothing to blur
    l.selectOption(new SelectOption().setIndex(o.index()), new Locator.SelectOptionOptions().setTimeout(ACTION_MS));
    return o.text();
  }

  private String pickOption(FormField f, Answer a) {
    List<String> texts = f.options().stream().map(FormField.Option::text).toList();
    int i = OptionChooser.choose(texts, a.spellings());
    if (i < 0) {
      return null;
    }
    Locator option = frame.locator(f.optionSelector(i)).first();
    click(option);
    if (isRadioInput(option) && !option.isChecked()) {
      // the click landed on what covers a hidden radio (a styled dropdown drawn over it): the
      // radio itself takes a click as the form reads it
      option.evaluate("e => e.click()");
      if (!option.isChecked()) {
        return null;
      }
    }
    return texts.get(i);
  }

  private static boolean isRadioInput(Locator l) {
    try {
      return Boolean.TRUE.equals(l.evaluate("e => e.tagName === 'INPUT' && e.type === 'radio'"));
    } catch (PlaywrightException e) {
      return false;
    }
  }

  boolean check(FormField f) {
    blurTyped();
    Locator l = loc(f);
    if (l.isChecked()) {
      return true;
    }
    click(l);
    return l.isChecked();
  }

  /** Unticks a box; true when it ends unticked. */
  boolean uncheck(FormField f) {
    blurTyped();
    Locator l = loc(f);
    try {
      if (l.isChecked()) {
        click(l);
      }
      return !l.isChecked();
    } catch (PlaywrightException e) {
      return false;
    }
  }

  /**
   * A picker that keeps many choices (a skills box: search, pick one, it becomes a pill, repeat):
   * each of the answer's items is searched and picked on its own; what the page offers for none of
   * them is left out. Returns the items picked, or null when none was.
   */
  private String pickEach(FormField f, Answer a) {
    List<String> picked = new ArrayList<>();
    for (String item : a.value().split("\\s*[,;]\\s*")) {
      if (item.isBlank()) {
        continue;
      }
      String shown = combo(f, Answer.of(item, a.source()));
      if (shown != null) {
        picked.add(shown);
      }
    }
    return picked.isEmpty() ? null : String.join(", ", picked);
  }

  /**
   * A typeable combobox: open it, pick from what it offers, else type to filter and pick. A pick the
   * input then does not show (the list changed under the click: a search answering late re-drew it)
   * is undone and made once more; if it still does not show, the field is left empty, never holding
   * an option nobody chose.
   */
  private String combo(FormField f, Answer a) {
    String picked = comboOnce(f, a);
    if (picked == null || shows(loc(f), picked)) {
      return picked;
    }
    loc(f).fill("", new Locator.FillOptions().setTimeout(ACTION_MS));
    closePopups();
    picked = comboOnce(f, a);
    if (picked == null || shows(loc(f), picked)) {
      return picked;
    }
    loc(f).fill("", new Locator.FillOptions().setTimeout(ACTION_MS));
    closePopups();
    return null;
  }

  /**
   * Whether a text input shows the option picked (either containing the other, as normalized text);
   * an input left empty by its widget (the choice drawn elsewhere, react-select) is not judged here.
   */
  private static boolean shows(Locator l, String picked) {
    String now;
    try {
      Object tag = l.evaluate("e => e.tagName === 'INPUT' && e.type !== 'hidden' ? e.value : null");
      now = tag instanceof String v ? v : null;
    } catch (PlaywrightException e) {
      return true; // gone or re-rendered: nothing to judge
    }
    if (now == null || now.isBlank()) {
      return true;
    }
    String shown = Text.normalize(now);
    String chosen = Text.normalize(picked);
    return shown.contains(chosen) || chosen.contains(shown);
  }

  private String comboOnce(FormField f, Answer a) {
    Locator l = loc(f);
    markBaseline();
    click(l);
    // an autocomplete a click leaves closed (aria-expanded not true) lists nothing until typed into:
    // a short look, not the full wait for a list that opens on click
    boolean typeToSearch = !expanded(l)
        && "list".equals(l.getAttribute("aria-autocomplete", new Locator.GetAttributeOptions().setTimeout(ACTION_MS)));
    List<String> offered = waitForOptions(f, 500, OPENED_POLL_MS, a, typeToSearch ? OPENED_POLL_MS : OPENED_NOTHING_MS);
    int i = OptionChooser.choose(offered, a.spellings());
    if (i >= 0) {
      return clickPick(i, offered);
    }
    boolean listAppeared = !offered.isEmpty();
    for (String s : a.spellings().subList(0, Math.min(3, a.spellings().size()))) {
      // most autocompletes answer the one input event a paste makes; keystrokes for those that
      // listen to keys only (typing ~20 characters as a person does takes ~0.3 s)
      l.fill(s, new Locator.FillOptions().setTimeout(ACTION_MS));
      offered = waitForOptions(f, 2000, TYPED_POLL_MS, a, TYPED_NOTHING_MS);
      if (offered.isEmpty()) {
        l.fill("", new Locator.FillOptions().setTimeout(ACTION_MS));
        l.pressSequentially(s, new Locator.PressSequentiallyOptions().setDelay(15).setTimeout(ACTION_MS * 3));
        offered = waitForOptions(f, 2000, TYPED_POLL_MS, a, TYPED_NOTHING_MS);
      }
      listAppeared |= !offered.isEmpty();
      i = OptionChooser.choose(offered, a.spellings());
      if (i >= 0) {
        return clickPick(i, offered);
      }
      if (!listAppeared && !expanded(l)) {
        // neither the click nor the typing opened anything: other spellings will not either
        silent = true;
        break;
      }
    }
    if (!listAppeared && !"combobox".equals(roleOf(l)) && !a.source().equals("decline") && !f.type().equals("selectinput")) {
      // an input that only suggests (datalist, free-text autocomplete): the typed text stands
      l.fill(a.value(), new Locator.FillOptions().setTimeout(ACTION_MS));
      blur(l);
      return a.value();
    }
    l.fill("", new Locator.FillOptions().setTimeout(ACTION_MS));
    closePopups();
    return null;
  }

  /** A button that opens a listbox (Workday style): open, pick, or type to jump and pick. */
  private String popup(FormField f, Answer a) {
    Locator l = loc(f);
    markBaseline();
    click(l);
    List<String> offered = waitForOptions(f, 2000, OPENED_POLL_MS, a, POPUP_NOTHING_MS);
    int i = OptionChooser.choose(offered, a.spellings());
    if (i >= 0) {
      return clickPick(i, offered);
    }
    silent = offered.isEmpty() && !expanded(l);
    // some popups carry their own search box, focused on open
    Object typeable = page.evaluate("() => { const e = document.activeElement; return !!e && (e.tagName === 'INPUT' || e.isContentEditable); }");
    if (Boolean.TRUE.equals(typeable)) {
      page.keyboard().type(a.value(), new com.microsoft.playwright.Keyboard.TypeOptions().setDelay(15));
      offered = waitForOptions(f, 2000, TYPED_POLL_MS, a, TYPED_NOTHING_MS);
      i = OptionChooser.choose(offered, a.spellings());
      if (i >= 0) {
        return clickPick(i, offered);
      }
    }
    closePopups();
    return null;
  }

  private String clickPick(int i, List<String> offered) {
    click(frame.locator("[data-gh-pick='" + i + "']").first());
    closeIfStillOpen();
    return offered.get(i);
  }

  private void closeIfStillOpen() {
    // multi-selects stay open after a pick; Escape closes them without undoing it
    Object open = frame.evaluate("() => !!document.querySelector('[data-gh-pick]') && Array.from(document.querySelectorAll('[data-gh-pick]')).some(e => e.isConnected && e.getBoundingClientRect().height > 0)");
    if (Boolean.TRUE.equals(open)) {
      page.keyboard().press("Escape");
    }
  }

  /**
   * Set when the last widget filled showed nothing at all (no list, never expanded): a widget whose
   * script is not running, or a plain suggest box. Trying it again on the same page is pointless.
   */
  boolean silent;

  private static boolean expanded(Locator l) {
    try {
      return "true".equals(l.getAttribute("aria-expanded", new Locator.GetAttributeOptions().setTimeout(ACTION_MS)));
    } catch (PlaywrightException e) {
      return false;
    }
  }

  private String roleOf(Locator l) {
    Object r = l.evaluate("e => e.getAttribute('role') || ''");
    return r == null ? "" : r.toString();
  }

  /** Attaches {@code file} to a file input (hidden ones too). */
  boolean upload(FormField f, Path file) {
    try {
      Locator l = loc(f);
      l.setInputFiles(file, new Locator.SetInputFilesOptions().setTimeout(ACTION_MS));
      // attached is what the input holds now, not what was asked of it
      return Boolean.TRUE.equals(l.evaluate("e => !!e.files && e.files.length > 0"));
    } catch (PlaywrightException e) {
      return false;
    }
  }

  /**
   * Drops {@code file} on a drop zone that has no file input of its own (drag and drop only), as a
   * person dragging it there would; true when the page then shows the file's name (it took it).
   */
  boolean dropOn(Locator zone, Path file) {
    try {
      byte[] bytes = java.nio.file.Files.readAllBytes(file);
      String name = file.getFileName().toString();
      String type = name.toLowerCase(java.util.Locale.ROOT).endsWith(".pdf") ? "application/pdf"
          : name.toLowerCase(java.util.Locale.ROOT).endsWith(".docx")
              ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document" : "application/octet-stream";
      zone.evaluate("""
          (zone, f) => {
            const bin = atob(f.data);
            const bytes = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], f.name, {type: f.type}));
            for (const kind of ['dragenter', 'dragover', 'drop']) {
              zone.dispatchEvent(new DragEvent(kind, {bubbles: true, cancelable: true, dataTransfer: dt}));
            }
          }""", Map.of("data", java.util.Base64.getEncoder().encodeToString(bytes), "name", name, "type", type));
      page.waitForFunction("n => document.body && document.body.innerText.includes(n)", name,
          new Page.WaitForFunctionOptions().setTimeout(ACTION_MS / 2));
      return true;
    } catch (PlaywrightException | java.io.IOException e) {
      return false;
    }
  }

  /** Attaches {@code file} through the file chooser an upload button opens. */
  boolean uploadThrough(Locator button, Path file) {
    try {
      FileChooser chooser = page.waitForFileChooser(
          new Page.WaitForFileChooserOptions().setTimeout(ACTION_MS), () -> click(button));
      chooser.setFiles(file);
      return true;
    } catch (PlaywrightException e) {
      return false;
    }
  }

  /** Clicks like a person; falls back to a forced click and then a DOM click for covered widgets. */
  void click(Locator l) {
    try {
      l.click(new Locator.ClickOptions().setTimeout(ACTION_MS));
    } catch (PlaywrightException first) {
      try {
        l.click(new Locator.ClickOptions().setForce(true).setTimeout(ACTION_MS / 2));
      } catch (PlaywrightException second) {
        l.evaluate("e => e.click()");
      }
    }
  }

  private static void blur(Locator l) {
    try {
      l.evaluate("e => e.blur()");
    } catch (PlaywrightException e) {
      // the field may have re-rendered; nothing to blur then
    }
  }

  void closePopups() {
    try {
      page.keyboard().press("Escape");
    } catch (PlaywrightException e) {
      // nothing open
    }
  }

  // --- popup option lists ---

  private static final String BASELINE = """
      () => {
        for (const e of document.querySelectorAll('[data-gh-pre]')) e.removeAttribute('data-gh-pre');
        const SEL = '[role=option], [role=listbox] li, [role=menuitem], [role=menuitemradio], li[data-value], [class*=option i], [class*=suggestion i], [class*=menu-item i], [class*=dropdown-item i], .pac-item';
        // only what shows already: a list kept hidden in the page until its button opens it
        // (intl-tel-input's countries) is the list that opens
        const shown = el => { const r = el.getBoundingClientRect(); return r.width > 2 && r.height > 2
          && (!el.checkVisibility || el.checkVisibility({opacityProperty: true, visibilityProperty: true})); };
        for (const e of document.querySelectorAll(SEL)) if (shown(e)) e.setAttribute('data-gh-pre', '');
      }""";

  // options that appeared since the baseline; the list the field controls when it names one
  /** Whether anything is listed to pick (see {@link #PICKS}). */
  private static final String ANY_PICK_PREFIX = "sel => (";

  private static final String PICKS = """
      (sel) => {
        const norm = s => (s || '').replace(/[\\s\\u00a0]+/g, ' ').trim();
        const shown = el => { const r = el.getBoundingClientRect(); return r.width > 2 && r.height > 2
          && (!el.checkVisibility || el.checkVisibility({opacityProperty: true, visibilityProperty: true})); };
        for (const e of document.querySelectorAll('[data-gh-pick]')) e.removeAttribute('data-gh-pick');
        const field = document.querySelector(sel);
        let scope = document;
        const ids = field ? ((field.getAttribute('aria-controls') || '') + ' ' + (field.getAttribute('aria-owns') || '')).split(/\\s+/).filter(Boolean) : [];
        for (const id of ids) { const n = document.getElementById(id); if (n && shown(n)) { scope = n; break; } }
        const pick = s => {
          let all = Array.from(scope.querySelectorAll(s)).filter(e => e.tagName !== 'OPTION' && !e.hasAttribute('data-gh-pre')
            && shown(e) && e !== field && !e.contains(field) && !e.querySelector('input, select, textarea') && norm(e.innerText));
          return all.filter(e => !all.some(o => o !== e && e.contains(o)));
        };
        let found = pick('[role=option], [role=listbox] li, [role=menuitem], [role=menuitemradio]');
        if (!found.length) found = pick('li[data-value], [class*=option i], [class*=suggestion i], [class*=menu-item i], [class*=dropdown-item i], .pac-item');
        return found.slice(0, 400).map((e, k) => { e.setAttribute('data-gh-pick', String(k)); return norm(e.innerText); });
      }""";
  private static final String ANY_PICK = ANY_PICK_PREFIX + PICKS + ")(sel).length > 0";


  private static boolean saysExactly(List<String> offered, Answer a) {
    int i = OptionChooser.choose(offered, a.spellings());
    return i >= 0 && a.spellings().stream().anyMatch(sp -> Text.normalize(offered.get(i)).equals(Text.normalize(sp)));
  }

  private void markBaseline() {
    frame.evaluate(BASELINE);
  }

  // A list opened by a click is rendered from what the page has; suggestions for typed text may
  // come from a debounced fetch and change while they arrive, so they get longer to settle.
  private static final int OPENED_POLL_MS = 30;
  private static final int TYPED_POLL_MS = 60;

  // When nothing has shown this long after the click or the typing, with no request of the page in
  // flight or just answered, nothing is coming: a list opened by a click renders within a frame or
  // two; suggestions wait for a debounce (typically 150–300 ms) and then for their fetch, which
  // counts as the page still working. A button that opens a popup is meant to show one.
  private static final int OPENED_NOTHING_MS = 150;
  private static final int TYPED_NOTHING_MS = 600;
  private static final int POPUP_NOTHING_MS = 2000;

  /**
   * The options the field offers once the same list was seen twice {@code pollMs} apart (or {@code ms}
   * passed), or at once when one of them says exactly what {@code exact} (if given) answers in one of
   * its spellings: what a list opened by a click adds later will not be a better match.
   */
  @SuppressWarnings("unchecked")
  private List<String> waitForOptions(FormField f, int ms, int pollMs, Answer exact, int nothingMs) {
    long start = System.currentTimeMillis();
    long end = start + ms;
    List<String> last = List.of();
    while (true) {
      Object r = frame.evaluate(PICKS, f.selector());
      List<String> now = r instanceof List<?> ? new ArrayList<>((List<String>) r) : List.of();
      // wait for the list to settle (suggestions arrive after a fetch)
      if (!now.isEmpty() && (now.equals(last) || exact != null && saysExactly(now, exact))) {
        return now;
      }
      last = now;
      long t = System.currentTimeMillis();
      if (t > end || now.isEmpty() && t - start >= nothingMs && PageQuiet.networkQuietMs(page, 2000) >= 100) {
        return now;
      }
      if (now.isEmpty()) {
        // nothing listed yet: the page is watched every frame, so a list is seen as soon as it renders
        long left = Math.max(pollMs, Math.min(end, start + Math.max(nothingMs, pollMs)) - t);
        try {
          frame.waitForFunction(ANY_PICK, f.selector(), new Frame.WaitForFunctionOptions().setTimeout(left));
        } catch (PlaywrightException e) {
          // still nothing: judged on the next look
        }
      } else {
        page.waitForTimeout(pollMs); // a list is there: once more, to see it has settled
      }
    }
  }
}
