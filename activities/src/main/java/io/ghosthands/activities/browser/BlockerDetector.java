package io.ghosthands.activities.browser;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells whether a page stands between the job and its goal in a way only a human can clear: a
 * CAPTCHA, an automatic bot check, a one-time code (2FA / e-mail verification), a login wall, or
 * rate limiting. Reads the live page once (one script evaluation collects URL, title, visible text,
 * widgets and form fields) and scores the signals; the strongest reason wins.
 */
public final class BlockerDetector {

    /** Blocker reasons, as the contract names them. */
    public enum Reason {
        CAPTCHA("captcha"),
        BOT_CHECK("bot_check"),
        TWO_FA("2fa"),
        LOGIN("login"),
        RATE_LIMITED("rate_limited");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * A blocker found.
     *
     * @param reason what it is
     * @param confidence 0..1
     * @param description for people ("reCAPTCHA widget on the page")
     * @param signals what gave it away, for the event log
     */
    public record Blocker(Reason reason, double confidence, String description, List<String> signals) {}

    /** Blockers below this confidence are not reported. */
    public static final double THRESHOLD = 0.6;

    private static final String SCRIPT = load("blocker-signals.js");

    /**
     * The signal collector as one CDP {@code Runtime.evaluate} expression (its value, returned by
     * value, is what {@link #classify} scores): for the live view, which watches a paused page from
     * outside Playwright.
     */
    public static String signalsExpression() {
        return "(" + SCRIPT + ")()";
    }

    private static final Pattern CAPTCHA_TEXT = Pattern.compile(
            "i'?m not a robot|verify you are (a )?human|verify that you are (a )?human|prove you('| a)re (a )?human"
                    + "|are you a robot|press (&|and) hold|complete the security check|select all (images|squares)"
                    + "|solve (this|the) (puzzle|challenge)|(complete|solve|fill in|answer) the (re)?captcha|(re)?captcha (is )?required"
                    + "|(type|enter) the (characters|letters|text|words) (you see|shown|in the image|above|below)");
    /** The legal notice beside an invisible reCAPTCHA badge: wording about a CAPTCHA that asks nothing. */
    private static final Pattern CAPTCHA_NOTICE = Pattern.compile(
            "(protected|secured) by (re)?captcha|(re)?captcha enterprise|(re)?captcha and the google privacy policy"
                    + "|hcaptcha (privacy policy|terms)|protected by hcaptcha");

    private static final Pattern BOT_CHECK_TEXT = Pattern.compile(
            "checking (if the site connection is secure|your browser)|just a moment\\.\\.\\.|ddos protection by"
                    + "|enable javascript and cookies to continue|attention required! \\| cloudflare|incapsula incident"
                    + "|request unsuccessful\\. incapsula|pardon our interruption|access to this page has been denied"
                    + "|your request has been blocked|unusual traffic from your computer");
    private static final Pattern CODE_TEXT = Pattern.compile(
            "(enter|type|input) (the|your|a)? ?(\\d[- ]digit )?(verification |security |confirmation |one[- ]time |6[- ]digit |sms )?code"
                    + "|we (just )?(sent|texted|emailed) (you )?(a|an|the) ?(\\d[- ]digit )?(verification |security |confirmation |one[- ]time )?code"
                    + "|(verification|security|confirmation|one[- ]time|authentication) code"
                    + "|two[- ]factor|2[- ]step verification|two[- ]step verification|authenticator app|codice di sicurezza"
                    + "|code (was )?sent to");
    private static final Pattern LOGIN_TEXT =
            Pattern.compile("\\b(sign in|log in|login|signin)\\b|forgot (your )?password|create (an )?account");
    private static final Pattern LOGIN_URL =
            Pattern.compile("/(login|log-in|signin|sign-in|sign_in|auth|sso|account/login)([/?#.]|$)");
    private static final Pattern RATE_TEXT =
            Pattern.compile("too many requests|rate limit(ed)?|slow down|try again later");

    /** Reads the page and returns the strongest blocker, if any reaches {@link #THRESHOLD}. */
    public Optional<Blocker> detect(Page page) {
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) page.evaluate(SCRIPT);
        return classify(s);
    }

    /** Scores collected signals; public for reuse on signals gathered elsewhere. */
    public static Optional<Blocker> classify(Map<String, Object> s) {
        String words = str(s.get("title")) + " " + str(s.get("text"));
        List<Blocker> found = new ArrayList<>();
        captcha(s).ifPresent(found::add);
        botCheck(s, words).ifPresent(found::add);
        oneTimeCode(s, words).ifPresent(found::add);
        loginWall(s, words).ifPresent(found::add);
        rateLimit(s, words).ifPresent(found::add);
        return found.stream()
                .filter(b -> b.confidence() >= THRESHOLD)
                .max(Comparator.comparingDouble(Blocker::confidence)
                        .thenComparing(b -> -b.reason().ordinal()));
    }

    /** CAPTCHA: a widget a human must solve or click. */
    private static Optional<Blocker> captcha(Map<String, Object> s) {
        String text = str(s.get("text"));
        String frames = String.join(" ", list(s.get("frames")));
        int widgets = num(s.get("captchaWidgets"));
        int visibleWidgets = num(s.get("visibleCaptchaWidgets"));
        boolean cloudflare = Boolean.TRUE.equals(s.get("cloudflareChallenge"));
        List<String> captcha = new ArrayList<>();
        if (frames.contains("recaptcha")) {
            captcha.add("reCAPTCHA frame");
        }
        if (frames.contains("hcaptcha")) {
            captcha.add("hCaptcha frame");
        }
        if (frames.contains("challenges.cloudflare.com") || frames.contains("turnstile")) {
            captcha.add("Cloudflare Turnstile frame");
        }
        if (captcha.isEmpty() && !list(s.get("frames")).isEmpty()) {
            captcha.add("challenge frame"); // Arkose, GeeTest, a site's own
        }
        if (visibleWidgets > 0 || widgets > 0 && cloudflare) {
            captcha.add("captcha widget element");
        }
        boolean captchaText = CAPTCHA_TEXT
                .matcher(CAPTCHA_NOTICE.matcher(text).replaceAll(" "))
                .find();
        if (captchaText) {
            captcha.add("captcha wording");
        }
        if (captcha.isEmpty()) {
            return Optional.empty();
        }
        // a frame or widget is something a human has to solve or click, even on a bot-check
        // interstitial (Cloudflare's "Verify you are human" box); wording alone is weaker
        boolean element = captcha.size() > (captchaText ? 1 : 0);
        double c = element ? 0.95 : 0.65;
        return Optional.of(
                new Blocker(Reason.CAPTCHA, c, "CAPTCHA on the page (" + String.join(", ", captcha) + ")", captcha));
    }

    /** Bot check: an automatic interstitial with nothing to fill in. */
    private static Optional<Blocker> botCheck(Map<String, Object> s, String words) {
        boolean cloudflare = Boolean.TRUE.equals(s.get("cloudflareChallenge"));
        List<String> bot = new ArrayList<>();
        if (cloudflare) {
            bot.add("Cloudflare challenge markers");
        }
        if (BOT_CHECK_TEXT.matcher(words).find()) {
            bot.add("bot-check wording");
        }
        if (!bot.isEmpty() && (cloudflare || num(s.get("fields")) <= 2)) {
            return Optional.of(new Blocker(
                    Reason.BOT_CHECK,
                    bot.size() >= 2 ? 0.9 : 0.7,
                    "Bot check interstitial (" + String.join(", ", bot) + ")",
                    bot));
        }
        return Optional.empty();
    }

    /** One-time code: code fields, or a row of single-character boxes, with code wording. */
    private static Optional<Blocker> oneTimeCode(Map<String, Object> s, String words) {
        int otp = num(s.get("otpFields"));
        int singleChar = num(s.get("singleCharFields"));
        List<String> code = new ArrayList<>();
        if (otp > 0) {
            code.add(otp + " one-time-code field(s)");
        }
        if (singleChar >= 4) {
            code.add(singleChar + " single-character boxes");
        }
        boolean codeText = CODE_TEXT.matcher(words).find();
        if (codeText) {
            code.add("verification-code wording");
        }
        if ((otp > 0 || singleChar >= 4) && num(s.get("fields")) <= 12 + singleChar) {
            return Optional.of(new Blocker(
                    Reason.TWO_FA,
                    codeText ? 0.9 : 0.75,
                    "A one-time verification code is asked for (" + String.join(", ", code) + ")",
                    code));
        }
        return Optional.empty();
    }

    /** Login wall: a visible password field on a short form, not an application form. */
    private static Optional<Blocker> loginWall(Map<String, Object> s, String words) {
        int passwords = num(s.get("passwordFields"));
        List<String> login = new ArrayList<>();
        if (passwords > 0) {
            login.add(passwords + " password field(s)");
        }
        boolean loginText = LOGIN_TEXT.matcher(words).find();
        if (loginText) {
            login.add("sign-in wording");
        }
        if (LOGIN_URL.matcher(str(s.get("url")).toLowerCase()).find()) {
            login.add("sign-in URL");
        }
        if (passwords > 0 && num(s.get("fileInputs")) == 0 && num(s.get("fields")) - passwords <= 4) {
            return Optional.of(new Blocker(
                    Reason.LOGIN,
                    loginText ? 0.85 : 0.7,
                    "Sign-in required (" + String.join(", ", login) + ")",
                    login));
        }
        return Optional.empty();
    }

    /** Rate limiting: a short page asking to slow down. */
    private static Optional<Blocker> rateLimit(Map<String, Object> s, String words) {
        String text = str(s.get("text"));
        if (num(s.get("fields")) == 0 && RATE_TEXT.matcher(words).find() && text.length() < 2000) {
            return Optional.of(
                    new Blocker(Reason.RATE_LIMITED, 0.7, "The site asks to slow down", List.of("rate-limit wording")));
        }
        return Optional.empty();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    private static int num(Object o) {
        return o instanceof Number ? ((Number) o).intValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object o) {
        return o instanceof List ? (List<String>) o : List.of();
    }

    private static String load(String name) {
        try (InputStream in = BlockerDetector.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
