package io.ghosthands.activities.engine.scrape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The schema.org JSON-LD of a page: every {@code <script type="application/ld+json">} read
 * leniently (sites ship raw line breaks inside strings, trailing commas, comments, CDATA wrappers),
 * a script that cannot be read is skipped without spoiling the others, and {@code JobPosting} nodes
 * are found wherever they sit: top level, in arrays, in {@code @graph}, or nested (e.g. a
 * {@code WebPage}'s {@code mainEntity}). Nodes that only reference another ({@code {"@id": …}}) are
 * resolved against every node with that id on the page.
 */
final class JsonLd {

    static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(
                    JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS,
                    JsonReadFeature.ALLOW_TRAILING_COMMA,
                    JsonReadFeature.ALLOW_JAVA_COMMENTS,
                    JsonReadFeature.ALLOW_SINGLE_QUOTES,
                    JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER,
                    JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS,
                    JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
            .build();

    private static final Pattern WRAPPERS = Pattern.compile(
            "^\\s*(?:<!--|//\\s*<!\\[CDATA\\[|/\\*\\s*<!\\[CDATA\\[\\s*\\*/|<!\\[CDATA\\[)|(?://\\s*\\]\\]>|/\\*\\s*\\]\\]>\\s*\\*/|\\]\\]>|-->)\\s*$");
    private static final int MAX_DEPTH = 12;

    private final List<JsonNode> documents = new ArrayList<>();
    private final Map<String, JsonNode> byId = new HashMap<>();
    private final List<JsonNode> postings = new ArrayList<>();
    private int unreadable;

    /** Reads the text of each ld+json script on a page. */
    static JsonLd read(List<String> scripts) {
        JsonLd ld = new JsonLd();
        for (String script : scripts) {
            ld.add(script);
        }
        for (JsonNode doc : ld.documents) {
            ld.walk(doc, 0);
        }
        return ld;
    }

    private void add(String script) {
        String text =
                WRAPPERS.matcher(script == null ? "" : script).replaceAll("").trim();
        if (text.isEmpty()) {
            return;
        }
        int before = documents.size();
        try (MappingIterator<JsonNode> values =
                LENIENT.readerFor(JsonNode.class).readValues(text)) {
            while (values.hasNextValue()) {
                documents.add(values.nextValue());
            }
        } catch (RuntimeException e) {
            // keep whatever parsed before the error; a script with nothing usable counts as unreadable
            if (documents.size() == before) {
                unreadable++;
            }
        }
    }

    private void walk(JsonNode node, int depth) {
        if (depth > MAX_DEPTH || node == null) {
            return;
        }
        if (node.isArray()) {
            for (JsonNode each : node) {
                walk(each, depth + 1);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode id = node.get("@id");
        if (id != null && id.isTextual() && node.size() > 1) {
            byId.putIfAbsent(id.asText(), node);
        }
        if (hasType(node, "JobPosting")) {
            postings.add(node);
        }
        for (JsonNode child : node) {
            walk(child, depth + 1);
        }
    }

    /** Whether {@code @type} (string or array, with or without a schema.org prefix) names {@code type}. */
    static boolean hasType(JsonNode node, String type) {
        JsonNode t = node.get("@type");
        if (t == null) {
            return false;
        }
        if (t.isArray()) {
            for (JsonNode each : t) {
                if (typeName(each.asText()).equalsIgnoreCase(type)) {
                    return true;
                }
            }
            return false;
        }
        return typeName(t.asText()).equalsIgnoreCase(type);
    }

    private static String typeName(String raw) {
        int cut = Math.max(raw.lastIndexOf('/'), raw.lastIndexOf(':'));
        return (cut >= 0 ? raw.substring(cut + 1) : raw).trim();
    }

    /** The node itself, or the node it refers to when it is only an {@code {"@id": …}} reference. */
    JsonNode resolve(JsonNode node) {
        if (node != null && node.isObject() && node.size() == 1 && node.has("@id")) {
            JsonNode target = byId.get(node.get("@id").asText());
            return target != null ? target : node;
        }
        return node;
    }

    /** JobPosting nodes, in page order. */
    List<JsonNode> postings() {
        return postings;
    }

    /** How many scripts could not be read at all. */
    int unreadable() {
        return unreadable;
    }
}
