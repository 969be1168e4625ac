package io.ghosthands.activities.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.BoundingBox;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What typing a secret changes: the job's hook runs once, before the first secret; screenshots
 * taken afterwards mask the code box; the last check finds a typed secret in a trace zip.
 */
class SecretTypingTest {

    @TempDir
    static Path folder;

    private static LoopbackPages pages;

    @BeforeAll
    static void start() throws Exception {
        Files.writeString(
                folder.resolve("code.html"),
                "<!doctype html><html><body style='background:#fff'>"
                        + "<h1>Two-step verification</h1><label for='otp'>Code</label>"
                        + "<input id='otp' autocomplete='one-time-code' style='font-size:40px;width:400px;height:80px;color:#000'>"
                        + "<input id='note' style='width:400px;height:80px'></body></html>");
        pages = new LoopbackPages(folder);
    }

    @AfterAll
    static void stop() {
        pages.close();
    }

    @Test
    void theHookRunsOnceBeforeTheFirstSecretAndLaterScreenshotsMaskTheCodeBox() throws Exception {
        AtomicInteger hooks = new AtomicInteger();
        List<Object> seen = pages.open("code.html", page -> {
            Locator otp = page.locator("#otp");
            BoundingBox box = otp.boundingBox();
            int x = (int) (box.x + box.width / 2);
            int y = (int) (box.y + box.height / 2);
            SecretTyping.watch(page.context(), hooks::incrementAndGet);
            try {
                boolean maskedBefore = magenta(PageShots.png(page), x, y);
                SecretTyping.beforeTyping(page, "424242");
                otp.fill("424242");
                SecretTyping.typedInto(otp);
                SecretTyping.beforeTyping(page, "another");
                return List.of(
                        maskedBefore,
                        SecretTyping.typedOn(page),
                        magenta(PageShots.png(page), x, y),
                        magenta(PageShots.fullPageJpeg(page, 80), x, y),
                        magenta(
                                PageShots.png(page),
                                (int) (page.locator("#note").boundingBox().x + 200),
                                (int) (page.locator("#note").boundingBox().y + 40)),
                        SecretTyping.secrets(page.context()));
            } finally {
                SecretTyping.forget(page.context());
            }
        });
        assertThat(hooks).hasValue(1);
        assertThat(seen.get(0)).as("masked before any secret").isEqualTo(false);
        assertThat(seen.get(1)).as("typed on").isEqualTo(true);
        assertThat(seen.get(2)).as("PNG masks the code box").isEqualTo(true);
        assertThat(seen.get(3)).as("full-page JPEG masks the code box").isEqualTo(true);
        assertThat(seen.get(4)).as("an ordinary box is not masked").isEqualTo(false);
        assertThat(seen.get(5)).isEqualTo(Set.of("424242", "another"));
    }

    @Test
    void theLastCheckFindsATypedSecretInATraceZipInItsUsualSpellings() throws Exception {
        assertThat(SecretTyping.zipHoldsAny(zip("{\"params\":{\"value\":\"Pa ss/w\\\"d\"}}"), Set.of("Pa ss/w\"d")))
                .isTrue();
        assertThat(SecretTyping.zipHoldsAny(zip("postData: email=a&password=Pa+ss%2Fw%22d"), Set.of("Pa ss/w\"d")))
                .isTrue();
        assertThat(SecretTyping.zipHoldsAny(zip("{\"value\":\"482913\"}"), Set.of("482913")))
                .isTrue();
        // a code's digits inside a longer number (a timestamp) are not the code
        assertThat(SecretTyping.zipHoldsAny(zip("{\"wallTime\":1764482913555.25}"), Set.of("482913")))
                .isFalse();
        assertThat(SecretTyping.zipHoldsAny(zip("nothing here"), Set.of("Pa ss/w\"d")))
                .isFalse();
        assertThat(SecretTyping.zipHoldsAny(zip("anything"), Set.of())).isFalse();
    }

    private static byte[] zip(String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            out.putNextEntry(new ZipEntry("trace.trace"));
            out.write(content.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    /** Whether the pixel at (x, y) is Playwright's mask colour (#FF00FF), give or take JPEG. */
    private static boolean magenta(byte[] image, int x, int y) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(image));
            int rgb = img.getRGB(x, y);
            int r = (rgb >> 16) & 0xff;
            int g = (rgb >> 8) & 0xff;
            int b = rgb & 0xff;
            return r > 200 && g < 60 && b > 200;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
