package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import io.ghosthands.activities.engine.PageQuiet;
import java.util.ArrayList;
import java.util.List;

/**
 * The option lists a dropdown, combobox or popup opens: which options appeared since the field was
 * clicked (the ones it controls when it names them), read once they have settled; each is marked
 * {@code data-gh-pick} with its index for the click that picks it.
 */
final class OptionLists {

    private final Page page;
    private final Frame frame;

    OptionLists(Page page, Frame frame) {
        this.page = page;
        this.frame = frame;
    }

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
        return i >= 0
                && a.spellings().stream()
                        .anyMatch(sp -> Text.normalize(offered.get(i)).equals(Text.normalize(sp)));
    }

    /** Marks the options already shown, so that only those the field opens count. */
    void markBaseline() {
        frame.evaluate(BASELINE);
    }

    // A list opened by a click is rendered from what the page has; suggestions for typed text may
    // come from a debounced fetch and change while they arrive, so they get longer to settle.
    static final int OPENED_POLL_MS = 30;
    static final int TYPED_POLL_MS = 60;

    // When nothing has shown this long after the click or the typing, with no request of the page in
    // flight or just answered, nothing is coming: a list opened by a click renders within a frame or
    // two; suggestions wait for a debounce (typically 150–300 ms) and then for their fetch, which
    // counts as the page still working. A button that opens a popup is meant to show one.
    static final int OPENED_NOTHING_MS = 150;
    static final int TYPED_NOTHING_MS = 600;
    static final int POPUP_NOTHING_MS = 2000;

    /**
     * The options the field offers once the same list was seen twice {@code pollMs} apart (or {@code ms}
     * passed), or at once when one of them says exactly what {@code exact} (if given) answers in one of
     * its spellings: what a list opened by a click adds later will not be a better match.
     */
    @SuppressWarnings("unchecked")
    List<String> waitForOptions(FormField f, int ms, int pollMs, Answer exact, int nothingMs) {
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
