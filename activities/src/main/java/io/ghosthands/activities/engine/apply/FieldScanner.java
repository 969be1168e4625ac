package io.ghosthands.activities.engine.apply;

import com.microsoft.playwright.Frame;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs {@code field-scan.js} (one evaluation per frame) and reads its JSON. Application forms are
 * often embedded in an iframe (Greenhouse and Lever embeds), so when the top document has no form the
 * child frame with the most fields is used.
 */
final class FieldScanner {

    private static final String SCRIPT = load("field-scan.js");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(
                    DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** A scan and the frame it was taken in (act on its stamps through that frame). */
    record Scanned(Frame frame, PageScan scan) {}

    Scanned scan(Page page) {
        Frame main = page.mainFrame();
        PageScan top = scan(main);
        if (top.visibleFields().size() >= 2) {
            return new Scanned(main, top);
        }
        Scanned best = new Scanned(main, top);
        for (Frame f : page.frames()) {
            if (f == main || f.isDetached() || f.url().isBlank() || f.url().startsWith("about:")) {
                continue;
            }
            try {
                PageScan s = scan(f);
                if (s.visibleFields().size() > best.scan().visibleFields().size()) {
                    best = new Scanned(f, s);
                }
            } catch (PlaywrightException e) {
                // a frame that navigated away or cannot be scripted is simply not the form
            }
        }
        return best;
    }

    PageScan scan(Frame frame) {
        String json = (String) frame.evaluate(SCRIPT);
        try {
            return JSON.readValue(json, PageScan.class);
        } catch (JacksonException e) {
            throw new IllegalStateException("scan result unreadable", e);
        }
    }

    private static String load(String name) {
        try (InputStream in = FieldScanner.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
