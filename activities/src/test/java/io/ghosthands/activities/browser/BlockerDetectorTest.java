package io.ghosthands.activities.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real-world blocker pages ({@code shared/fixtures/blockers}, see its PROVENANCE.md) are detected as
 * the type they are, and clean application forms are not mistaken for blockers. Pages are served on
 * loopback and read by real Chromium.
 */
class BlockerDetectorTest {

    private static HttpServer server;
    private static BrowserLanes lanes;
    private static final BlockerDetector detector = new BlockerDetector();

    /** The shared fixtures folder beside the checkout; the build must fail, not skip, without it. */
    static Path blockerFixtures() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("fixtures").resolve("blockers");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/fixtures/blockers not found beside the checkout");
    }

    @BeforeAll
    static void start() throws IOException {
        Path blockers = blockerFixtures();
        Path forms = Path.of("src/test/resources/forms").toAbsolutePath();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            String name = ex.getRequestURI().getPath().substring(1);
            Path file = name.startsWith("forms/") ? forms.resolve(name.substring(6)) : blockers.resolve(name);
            if (!Files.isRegularFile(file) || name.contains("..")) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        lanes = new BrowserLanes(
                BrowserSettings.resolve("", true)
                        .withExtraArgs(List.of(
                                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1")),
                1);
    }

    @AfterAll
    static void stop() {
        lanes.close();
        server.stop(0);
    }

    private Optional<BlockerDetector.Blocker> detect(String path) throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
        return lanes.submit((Browser browser) -> {
                    try (BrowserContext context = browser.newContext()) {
                        Page page = context.newPage();
                        page.navigate(url);
                        return detector.detect(page);
                    }
                })
                .future()
                .get();
    }

    /** Every fixture with the type PROVENANCE.md gives it. */
    static Stream<Arguments> blockerPages() {
        return Stream.of(
                Arguments.of("ddg-paypal_otp.html", "2fa"),
                Arguments.of("ddg-cookpad_email-confirmation-code.html", "2fa"),
                Arguments.of("ddg-instagram_email-confirmation-code.html", "2fa"),
                Arguments.of("ddg-ikea_signup-verification.html", "2fa"),
                Arguments.of("ddg-etsy_security-step.html", "2fa"),
                Arguments.of("ddg-indeed_login_signup.html", "login"),
                Arguments.of("flaresolverr-cloudflare_captcha_norobot_v1.html", "captcha"),
                Arguments.of("flaresolverr-cloudflare_spinner_v1.html", "bot_check"),
                Arguments.of("flaresolverr-cloudflare_init_v1.html", "bot_check"));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @MethodSource("blockerPages")
    void realBlockerPagesAreDetectedAsTheirType(String file, String type) throws Exception {
        Optional<BlockerDetector.Blocker> blocker = detect(file);
        assertThat(blocker).as(file).isPresent();
        assertThat(blocker.get().reason().code())
                .as("%s: %s", file, blocker.get())
                .isEqualTo(type);
        assertThat(blocker.get().confidence()).isGreaterThanOrEqualTo(BlockerDetector.THRESHOLD);
        assertThat(blocker.get().description()).isNotBlank();
    }

    @ParameterizedTest(name = "{0} has no blocker")
    @ValueSource(
            strings = {
                "forms/greenhouse-style-application.html",
                "forms/lever-style-application.html",
                "forms/multi-step-application.html"
            })
    void cleanApplicationFormsAreNotBlockers(String file) throws Exception {
        assertThat(detect(file)).as(file).isEmpty();
    }

    @ParameterizedTest(name = "{0} is not a challenge")
    @ValueSource(strings = {"forms/badge-recaptcha-invisible.html", "forms/badge-hcaptcha-invisible.html"})
    void invisibleCaptchaBadgesAndWaitingChallengeFramesAreNotBlockers(String file) throws Exception {
        // a badge, a legal notice, an invisible widget and a challenge frame parked off the page ask
        // nothing of a person: pausing there would cost the application
        assertThat(detect(file)).as(file).isEmpty();
    }

    @ParameterizedTest(name = "{0} is a CAPTCHA")
    @ValueSource(strings = {"forms/challenge-recaptcha-checkbox.html", "forms/challenge-turnstile-visible.html"})
    void aVisibleChallengeWidgetOnAFormIsACaptcha(String file) throws Exception {
        Optional<BlockerDetector.Blocker> blocker = detect(file);
        assertThat(blocker).as(file).isPresent();
        assertThat(blocker.get().reason().code()).isEqualTo("captcha");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"recaptcha", "turnstile", "rate"})
    void signalsFromPagesWeCannotServeHereAreClassified(String kind) {
        Map<String, Object> s = switch (kind) {
            case "recaptcha" ->
                Map.of(
                        "frames",
                        List.of("https://www.google.com/recaptcha/api2/anchor?k=x"),
                        "visibleCaptchaWidgets",
                        1,
                        "captchaWidgets",
                        1,
                        "fields",
                        3,
                        "text",
                        "please complete the form");
            case "turnstile" ->
                Map.of(
                        "frames",
                        List.of("https://challenges.cloudflare.com/cdn-cgi/challenge-platform/turnstile"),
                        "captchaWidgets",
                        1,
                        "fields",
                        0,
                        "text",
                        "verify you are human");
            default ->
                Map.of(
                        "fields",
                        0,
                        "text",
                        "429 too many requests. please try again later.",
                        "title",
                        "too many requests");
        };
        Optional<BlockerDetector.Blocker> b = BlockerDetector.classify(s);
        assertThat(b).isPresent();
        assertThat(b.get().reason().code()).isEqualTo(kind.equals("rate") ? "rate_limited" : "captcha");
    }
}
