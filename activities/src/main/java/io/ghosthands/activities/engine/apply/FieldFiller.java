package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Keyboard;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.SelectOption;
import io.ghosthands.activities.engine.SecretTyping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        this.lists = new OptionLists(page, frame);
    }

    // A typed field keeps the focus until the next field takes it (which blurs it, as a person moving
    // on does) or until blurTyped(): one blur per run of typed fields instead of one per field.
    private boolean typedHasFocus;
    private final OptionLists lists;

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
                case "combo" ->
                    a.source().equals("profile.skills") && (f.type().equals("selectinput") || f.multiple())
                            ? pickEach(f, a)
                            : combo(f, a);
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
            l.pressSequentially(
                    v, new Locator.PressSequentiallyOptions().setDelay(10).setTimeout(ACTION_MS * 3));
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
            frame.evaluate(
                    "() => { const e = document.activeElement; if (e && e !== document.body && e.blur) e.blur(); }");
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
        lists.markBaseline();
        click(l);
        // an autocomplete a click leaves closed (aria-expanded not true) lists nothing until typed into:
        // a short look, not the full wait for a list that opens on click
        boolean typeToSearch = !expanded(l)
                && "list"
                        .equals(l.getAttribute(
                                "aria-autocomplete", new Locator.GetAttributeOptions().setTimeout(ACTION_MS)));
        List<String> offered = lists.waitForOptions(
                f,
                500,
                OptionLists.OPENED_POLL_MS,
                a,
                typeToSearch ? OptionLists.OPENED_POLL_MS : OptionLists.OPENED_NOTHING_MS);
        int i = OptionChooser.choose(offered, a.spellings());
        if (i >= 0) {
            return clickPick(i, offered);
        }
        boolean listAppeared = !offered.isEmpty();
        for (String s : a.spellings().subList(0, Math.min(3, a.spellings().size()))) {
            // most autocompletes answer the one input event a paste makes; keystrokes for those that
            // listen to keys only (typing ~20 characters as a person does takes ~0.3 s)
            l.fill(s, new Locator.FillOptions().setTimeout(ACTION_MS));
            offered = lists.waitForOptions(f, 2000, OptionLists.TYPED_POLL_MS, a, OptionLists.TYPED_NOTHING_MS);
            if (offered.isEmpty()) {
                l.fill("", new Locator.FillOptions().setTimeout(ACTION_MS));
                l.pressSequentially(
                        s, new Locator.PressSequentiallyOptions().setDelay(15).setTimeout(ACTION_MS * 3));
                offered = lists.waitForOptions(f, 2000, OptionLists.TYPED_POLL_MS, a, OptionLists.TYPED_NOTHING_MS);
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
        if (!listAppeared
                && !"combobox".equals(roleOf(l))
                && !a.source().equals("decline")
                && !f.type().equals("selectinput")) {
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
        lists.markBaseline();
        click(l);
        List<String> offered =
                lists.waitForOptions(f, 2000, OptionLists.OPENED_POLL_MS, a, OptionLists.POPUP_NOTHING_MS);
        int i = OptionChooser.choose(offered, a.spellings());
        if (i >= 0) {
            return clickPick(i, offered);
        }
        silent = offered.isEmpty() && !expanded(l);
        // some popups carry their own search box, focused on open
        Object typeable = page.evaluate(
                "() => { const e = document.activeElement; return !!e && (e.tagName === 'INPUT' || e.isContentEditable); }");
        if (Boolean.TRUE.equals(typeable)) {
            page.keyboard().type(a.value(), new Keyboard.TypeOptions().setDelay(15));
            offered = lists.waitForOptions(f, 2000, OptionLists.TYPED_POLL_MS, a, OptionLists.TYPED_NOTHING_MS);
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
        Object open = frame.evaluate(
                "() => !!document.querySelector('[data-gh-pick]') && Array.from(document.querySelectorAll('[data-gh-pick]')).some(e => e.isConnected && e.getBoundingClientRect().height > 0)");
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
            return "true"
                    .equals(l.getAttribute("aria-expanded", new Locator.GetAttributeOptions().setTimeout(ACTION_MS)));
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
            return FileInputs.upload(loc(f), file);
        } catch (PlaywrightException e) {
            return false;
        }
    }

    /** Drops {@code file} on a drop zone (drag and drop only); true when the page then shows its name. */
    boolean dropOn(Locator zone, Path file) {
        return new FileInputs(page).dropOn(zone, file);
    }

    /** Attaches {@code file} through the file chooser an upload button opens. */
    boolean uploadThrough(Locator button, Path file) {
        return new FileInputs(page).uploadThrough(button, file, this);
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
}
