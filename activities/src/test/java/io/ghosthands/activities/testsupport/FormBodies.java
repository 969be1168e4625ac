package io.ghosthands.activities.testsupport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a browser posted to a fixture site, read the way the site's own server would: the parts of
 * a {@code multipart/form-data} body, or the pairs of an url-encoded one. Shared by the test
 * fixture servers and the benchmarks, which check the same submissions.
 */
public final class FormBodies {

    private static final Pattern NAME = Pattern.compile("name=\"([^\"]*)\"");
    private static final Pattern FILENAME = Pattern.compile("filename=\"([^\"]*)\"");

    private FormBodies() {}

    /** One part of a multipart body; {@code filename} is null for a plain field, "" for an empty file input. */
    public record Part(String name, String filename, String value) {

        /** Whether a file was chosen for this part. */
        public boolean isFile() {
            return filename != null && !filename.isEmpty();
        }
    }

    /** The parts of a {@code multipart/form-data} body, in the order the browser sent them. */
    public static List<Part> multipart(String contentType, byte[] body) {
        String boundary = "--" + contentType.replaceFirst(".*boundary=", "").replace("\"", "");
        // ISO-8859-1 keeps every byte as one char, so file bodies cannot break the split
        String raw = new String(body, StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        for (String part : raw.split(Pattern.quote(boundary))) {
            int split = part.indexOf("\r\n\r\n");
            if (split < 0) {
                continue;
            }
            String headers = part.substring(0, split);
            Matcher name = NAME.matcher(headers);
            if (!name.find()) {
                continue;
            }
            Matcher file = FILENAME.matcher(headers);
            String value = part.substring(split + 4).replaceFirst("\r\n$", "");
            parts.add(new Part(
                    name.group(1),
                    file.find() ? file.group(1) : null,
                    new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)));
        }
        return parts;
    }

    /** The pairs of an {@code application/x-www-form-urlencoded} body, in order (a repeated name: the last). */
    public static Map<String, String> urlEncoded(byte[] body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            out.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }
}
