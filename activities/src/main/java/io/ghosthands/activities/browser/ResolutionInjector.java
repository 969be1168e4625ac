package io.ghosthands.activities.browser;

import com.microsoft.playwright.ElementHandle;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.LoadState;
import io.ghosthands.activities.engine.SecretTyping;
import io.ghosthands.workflows.payload.HumanAction;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Puts what a human gave on resume into the paused page: a one-time code into the code field (or
 * the row of one-character boxes) and submits it; credentials into the login form and signs in.
 * {@code manual} and {@code skip} change nothing: the human acted elsewhere. The values are typed,
 * never logged or returned, and only after {@link SecretTyping#beforeTyping} ended the job's trace.
 */
public final class ResolutionInjector {

    /** What was done, for events and results; never holds the secret. */
    public record Applied(String resolutionType, boolean injected, String note) {}

    private static final Pattern CODE_HINT = Pattern.compile(
            "(?i)one[- ]?time|otp|passcode|verification|verify|security code|\\bcode\\b|\\bpin\\b|2fa|mfa|token");
    private static final Pattern USER_HINT = Pattern.compile("(?i)e-?mail|user|login|account|phone");
    private static final Pattern SUBMIT_TEXT =
            Pattern.compile("(?i)^\\s*(verify|submit|continue|confirm|next|sign ?in|log ?in|done|ok)\\b");

    private ResolutionInjector() {}

    public static Applied apply(Page page, HumanAction action) {
        String type = action == null || action.resolutionType() == null ? "manual" : action.resolutionType();
        Map<String, Object> data =
                action == null || action.resolutionData() == null ? Map.of() : action.resolutionData();
        switch (type) {
            case "code_entry":
                return enterCode(page, text(data, "code", "otp", "value"));
            case "credentials":
                return signIn(page, text(data, "username", "email", "login"), text(data, "password"));
            default:
                return new Applied(type, false, "nothing to type: the human acted on the page");
        }
    }

    /**
     * Answers to the form's questions a resume carries (after a {@code screening_question} pause):
     * {@code resolution_data.answers} (or {@code qa_answers}), question → answer, with any
     * {@code resolution_type} ({@code manual} as a rule). Blank answers are left out: a human who
     * skipped a question has not answered it.
     */
    public static Map<String, Object> answers(HumanAction action) {
        if (action == null || action.resolutionData() == null) {
            return Map.of();
        }
        Map<String, Object> data = action.resolutionData();
        Object nested = data.containsKey("answers") ? data.get("answers") : data.get("qa_answers");
        Map<?, ?> given = nested instanceof Map<?, ?> m ? m : Map.of();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : given.entrySet()) {
            Object v = e.getValue();
            boolean blank = v == null
                    || v instanceof String str && str.isBlank()
                    || v instanceof Collection<?> c && c.isEmpty();
            if (e.getKey() != null && !String.valueOf(e.getKey()).isBlank() && !blank) {
                out.put(String.valueOf(e.getKey()).trim(), v);
            }
        }
        return out;
    }

    private static Applied enterCode(Page page, String code) {
        if (code == null || code.isBlank()) {
            return new Applied("code_entry", false, "no code given");
        }
        List<ElementHandle> boxes =
                visible(page, "input[maxlength='1']:not([type=hidden]):not([type=checkbox]):not([type=radio])");
        if (boxes.size() >= 4 && boxes.size() >= code.length()) {
            SecretTyping.beforeTyping(page, code);
            for (int i = 0; i < code.length(); i++) {
                boxes.get(i).fill(String.valueOf(code.charAt(i)));
                SecretTyping.typedInto(boxes.get(i));
            }
            submit(page, boxes.get(code.length() - 1));
            return new Applied("code_entry", true, "code typed into " + code.length() + " boxes");
        }
        ElementHandle field = first(page, "input[autocomplete='one-time-code']");
        if (field == null) {
            for (ElementHandle input : visible(
                    page,
                    "input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
                            + ":not([type=submit]):not([type=button]):not([type=password]):not([type=email])")) {
                if (CODE_HINT.matcher(describe(input)).find()) {
                    field = input;
                    break;
                }
            }
        }
        if (field == null) {
            List<ElementHandle> inputs =
                    visible(page, "input[type=text], input[type=tel], input[type=number], input:not([type])");
            if (inputs.size() == 1) {
                field = inputs.get(0);
            }
        }
        if (field == null) {
            return new Applied("code_entry", false, "no one-time-code field found on the page");
        }
        SecretTyping.beforeTyping(page, code);
        field.fill(code);
        SecretTyping.typedInto(field);
        submit(page, field);
        return new Applied("code_entry", true, "code typed and submitted");
    }

    private static Applied signIn(Page page, String username, String password) {
        // the trace ends before the first of them is typed (the user name is not kept as a secret: it
        // may well be on the pages before, e.g. as the profile's e-mail)
        SecretTyping.beforeTyping(page, password);
        ElementHandle user = userField(page);
        if (user != null && username != null && !username.isBlank()) {
            user.fill(username);
        }
        ElementHandle pass = first(page, "input[type=password]");
        if (pass == null && user != null) {
            // two-step sign-in: the password field comes after the user name is sent
            submit(page, user);
            try {
                page.waitForSelector("input[type=password]", new Page.WaitForSelectorOptions().setTimeout(10_000));
            } catch (PlaywrightException e) {
                return new Applied("credentials", user != null, "no password field appeared after the user name");
            }
            pass = first(page, "input[type=password]");
        }
        if (pass == null) {
            return new Applied("credentials", false, "no sign-in form found on the page");
        }
        if (password != null) {
            pass.fill(password);
            SecretTyping.typedInto(pass);
        }
        submit(page, pass);
        return new Applied("credentials", true, "credentials typed and submitted");
    }

    private static ElementHandle userField(Page page) {
        ElementHandle byType =
                first(page, "input[type=email], input[autocomplete=username], input[autocomplete=email]");
        if (byType != null) {
            return byType;
        }
        for (ElementHandle input : visible(page, "input[type=text], input:not([type])")) {
            if (USER_HINT.matcher(describe(input)).find()) {
                return input;
            }
        }
        return null;
    }

    /** Clicks the form's submit-like button near {@code field}, else presses Enter in it; waits for the page. */
    private static void submit(Page page, ElementHandle field) {
        String url = page.url();
        ElementHandle button = null;
        Object form = field.evaluate("el => el.form ? true : false");
        String scope = Boolean.TRUE.equals(form) ? "form" : "body";
        for (ElementHandle candidate :
                visible(page, scope + " button, " + scope + " input[type=submit], " + scope + " [role=button]")) {
            String label = String.valueOf(candidate.evaluate(
                    "el => (el.innerText || el.value || el.getAttribute('aria-label') || '').trim()"));
            if (SUBMIT_TEXT.matcher(label).find()) {
                if (!Boolean.TRUE.equals(form)
                        || Boolean.TRUE.equals(
                                candidate.evaluate("(el, f) => el.form === f.form || f.form.contains(el)", field))) {
                    button = candidate;
                    break;
                }
            }
        }
        if (button != null) {
            button.click();
        } else {
            field.press("Enter");
        }
        settle(page, url);
    }

    /** Waits briefly for what the submit started: a navigation, or the page settling. */
    static void settle(Page page, String urlBefore) {
        try {
            page.waitForLoadState(LoadState.LOAD, new Page.WaitForLoadStateOptions().setTimeout(10_000));
            if (page.url().equals(urlBefore)) {
                page.waitForTimeout(300);
            }
            page.waitForLoadState(LoadState.NETWORKIDLE, new Page.WaitForLoadStateOptions().setTimeout(5_000));
        } catch (PlaywrightException e) {
            // a page that keeps loading is still a page to look at
        }
    }

    private static String describe(ElementHandle input) {
        return String.valueOf(
                input.evaluate("el => [el.name, el.id, el.placeholder, el.getAttribute('aria-label'), el.autocomplete,"
                        + " (el.labels && el.labels[0] ? el.labels[0].innerText : ''),"
                        + " (el.closest('label') ? el.closest('label').innerText : '')].filter(Boolean).join(' ')"));
    }

    private static ElementHandle first(Page page, String selector) {
        List<ElementHandle> found = visible(page, selector);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<ElementHandle> visible(Page page, String selector) {
        return page.querySelectorAll(selector).stream()
                .filter(ResolutionInjector::usable)
                .toList();
    }

    private static boolean usable(ElementHandle e) {
        try {
            return e.isVisible() && e.isEnabled() && e.isEditable();
        } catch (PlaywrightException ex) {
            // not an editable element (e.g. a button matched by a broad selector)
            return e.isVisible();
        }
    }

    private static String text(Map<String, Object> data, String... keys) {
        for (String key : keys) {
            Object v = data.get(key);
            if (v != null && !v.toString().isEmpty()) {
                return v.toString();
            }
        }
        return null;
    }
}
