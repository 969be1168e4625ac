package io.ghosthands.activities.engine;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.ElementHandle;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Typing a secret into a job's page — a one-time code or the credentials a resume carried, a value
 * the engine types into a field it considers secret ({@code FormField.secret()}) — and what that
 * changes for the job's records.
 *
 * <p>Playwright's trace records every action with its arguments ({@code fill("<value>")}), every
 * request with its body (the sign-in POST) and, in {@code GH_TRACE=full}, each input's value in its
 * DOM snapshots. So before the first secret of a job is typed, the browser activity's hook
 * ({@link #watch}) ends the job's trace: it is saved as it stands and tracing stops for the rest of
 * the job, network recording included. Nothing typed or sent after that is recorded. From then on
 * the job's screenshots mask the fields a secret was typed into, password boxes and one-time-code
 * boxes ({@link #screenshot}).
 */
public final class SecretTyping {

    /** The attribute that marks an element a secret was typed into, for the screenshot mask. */
    public static final String MARK = "data-gh-secret";

    /** What a screenshot taken after a secret was typed masks. */
    static final String MASKED = "[" + MARK + "], input[type=password], input[autocomplete='one-time-code'],"
            + " input[maxlength='1']:not([type=hidden]):not([type=checkbox]):not([type=radio])";

    private static final class State {
        final Runnable beforeFirstSecret;
        final Set<String> secrets = ConcurrentHashMap.newKeySet();
        volatile boolean typed;

        State(Runnable beforeFirstSecret) {
            this.beforeFirstSecret = beforeFirstSecret;
        }
    }

    // per browser context (one per job); weak, so a context nobody forgot cannot leak
    private static final Map<BrowserContext, State> STATES = Collections.synchronizedMap(new WeakHashMap<>());

    private SecretTyping() {}

    /**
     * Watches a job's context: {@code beforeFirstSecret} runs on the lane thread right before the first
     * secret is typed into any of its pages (the browser activity ends the trace there).
     */
    public static void watch(BrowserContext context, Runnable beforeFirstSecret) {
        STATES.put(context, new State(beforeFirstSecret));
    }

    /** Forgets a context (its job's session closed); its secrets are dropped with it. */
    public static void forget(BrowserContext context) {
        STATES.remove(context);
    }

    /**
     * Call before typing {@code secret} (may be null: a value that is not secret itself but is typed
     * with one, such as the user name of a sign-in) into {@code page}. The first call for a job ends
     * its trace; if that fails, so does this call, and the secret must not be typed.
     */
    public static void beforeTyping(Page page, String secret) {
        State state = STATES.computeIfAbsent(page.context(), c -> new State(() -> {}));
        if (secret != null && !secret.isEmpty()) {
            state.secrets.add(secret);
        }
        if (!state.typed) {
            state.beforeFirstSecret.run();
            state.typed = true;
        }
    }

    /** Marks an element a secret was just typed into, so later screenshots mask it. */
    public static void typedInto(ElementHandle element) {
        try {
            element.evaluate("(el, mark) => el.setAttribute(mark, '')", MARK);
        } catch (PlaywrightException e) {
            // the page moved on (a submit on Enter): nothing left to mask
        }
    }

    /** As {@link #typedInto(ElementHandle)}, for a locator. */
    public static void typedInto(Locator element) {
        try {
            element.evaluate(
                    "(el, mark) => el.setAttribute(mark, '')", MARK, new Locator.EvaluateOptions().setTimeout(2_000));
        } catch (PlaywrightException e) {
            // as above
        }
    }

    /** Whether a secret has been typed into this job's pages. */
    public static boolean typedOn(Page page) {
        State state = STATES.get(page.context());
        return state != null && state.typed;
    }

    /** The secrets typed into this context's pages so far (for the last check of its trace). */
    public static Set<String> secrets(BrowserContext context) {
        State state = STATES.get(context);
        return state == null ? Set.of() : Set.copyOf(state.secrets);
    }

    /**
     * A screenshot of {@code page}; once a secret was typed into the job's pages, with the secret
     * fields masked (a password box hides its value, a one-time-code box does not).
     */
    public static byte[] screenshot(Page page, Page.ScreenshotOptions options) {
        if (typedOn(page)) {
            options.setMask(List.of(page.locator(MASKED)));
        }
        return page.screenshot(options);
    }

    /**
     * Whether any of {@code secrets} appears in the zip (every entry, inflated) as typed, URL-encoded
     * (a form POST), JSON-escaped or in base64: the last check before a trace is kept.
     */
    public static boolean zipHoldsAny(byte[] zip, Collection<String> secrets) throws IOException {
        if (secrets.isEmpty()) {
            return false;
        }
        List<byte[]> needles = new ArrayList<>();
        for (String s : secrets) {
            for (String form : forms(s)) {
                needles.add(form.getBytes(StandardCharsets.UTF_8));
            }
        }
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                for (byte[] needle : needles) {
                    if (contains(content, needle)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The spellings a secret takes in a trace. */
    static Set<String> forms(String s) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(s);
        forms.add(URLEncoder.encode(s, StandardCharsets.UTF_8));
        forms.add(URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        String json = s.replace("\\", "\\\\").replace("\"", "\\\"");
        forms.add(json);
        forms.add(json.replace("/", "\\/"));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        return forms;
    }

    /**
     * Whether {@code needle} occurs in {@code haystack}; an all-digit needle (a one-time code) only
     * where no digit or point touches it, since a trace is full of numbers (timestamps, sizes).
     */
    static boolean contains(byte[] haystack, byte[] needle) {
        boolean digits = needle.length > 0;
        for (byte b : needle) {
            digits &= b >= '0' && b <= '9';
        }
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            if (!digits || !numeric(haystack, i - 1) && !numeric(haystack, i + needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean numeric(byte[] bytes, int at) {
        return at >= 0 && at < bytes.length && (bytes[at] >= '0' && bytes[at] <= '9' || bytes[at] == '.');
    }
}
