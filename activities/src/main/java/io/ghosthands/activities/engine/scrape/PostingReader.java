package io.ghosthands.activities.engine.scrape;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;

/**
 * Reads one schema.org {@code JobPosting} node (from JSON-LD, or microdata read into the same shape)
 * into posting fields. Values schema.org allows in several shapes are all accepted: text or
 * {@code Organization}; a {@code Place} or an array of them with text or {@code PostalAddress}
 * addresses and countries as text or {@code Country}; {@code employmentType} as text or array.
 */
final class PostingReader {

    private final UnaryOperator<JsonNode> resolve;
    private final LocalDate today;

    /**
     * @param resolve turns {@code {"@id": …}} references into the nodes they name (identity for microdata)
     * @param today for relative dates
     */
    PostingReader(UnaryOperator<JsonNode> resolve, LocalDate today) {
        this.resolve = resolve;
        this.today = today;
    }

    /** What one posting node says; fields it does not give stay null. */
    PostingFields read(JsonNode posting) {
        PostingFields f = new PostingFields();
        f.title = PlainText.oneLine(PlainText.fromHtml(text(posting.get("title"))));
        if (f.title == null) {
            f.title = PlainText.oneLine(PlainText.fromHtml(text(posting.get("name"))));
        }
        f.company = PlainText.oneLine(PlainText.fromHtml(name(posting.get("hiringOrganization"))));
        readLocation(posting, f);
        f.employmentType = employmentTypes(posting.get("employmentType"));
        String currency = text(posting.get("salaryCurrency"));
        f.salary = SalaryRange.fromJsonLd(resolved(posting.get("baseSalary")), currency)
                .or(() -> SalaryRange.fromJsonLd(resolved(posting.get("estimatedSalary")), currency))
                .orElse(null);
        f.description = PlainText.fromHtml(text(posting.get("description")));
        f.postedDate = PostedDate.parse(text(posting.get("datePosted")), today).orElse(null);
        f.applyUrl = applyUrl(posting.get("potentialAction"));
        return f;
    }

    private void readLocation(JsonNode posting, PostingFields f) {
        Set<String> places = new LinkedHashSet<>();
        for (JsonNode place : items(posting.get("jobLocation"))) {
            String p = place(resolve.apply(place));
            if (p != null) {
                places.add(p);
            }
        }
        boolean remote = false;
        for (JsonNode type : items(posting.get("jobLocationType"))) {
            remote |= type.asText("").toUpperCase(Locale.ROOT).contains("TELECOMMUTE");
        }
        f.remote = remote;
        if (remote) {
            Set<String> regions = new LinkedHashSet<>();
            for (JsonNode region : items(posting.get("applicantLocationRequirements"))) {
                String r = name(region);
                if (r != null) {
                    regions.add(r);
                }
            }
            String label = regions.isEmpty() ? "Remote" : "Remote (" + String.join(", ", regions) + ")";
            List<String> all = new ArrayList<>();
            all.add(label);
            all.addAll(places);
            f.location = String.join("; ", all);
        } else if (!places.isEmpty()) {
            f.location = String.join("; ", places);
        }
    }

    /** "City, Region, Country" for a Place, PostalAddress or text; parts that repeat are given once. */
    private String place(JsonNode place) {
        if (place == null || place.isNull()) {
            return null;
        }
        if (place.isValueNode()) {
            return PlainText.oneLine(place.asText());
        }
        JsonNode address = resolved(place.get("address"));
        if (address != null && address.isArray()) {
            address = address.size() > 0 ? resolve.apply(address.get(0)) : null;
        }
        if (address == null && (place.has("addressLocality") || place.has("addressCountry"))) {
            address = place; // a PostalAddress given directly as the location
        }
        if (address != null && address.isValueNode()) {
            return PlainText.oneLine(address.asText());
        }
        if (address != null && address.isObject()) {
            Set<String> parts = new LinkedHashSet<>();
            for (String key : List.of("addressLocality", "addressRegion", "addressCountry")) {
                String part = PlainText.oneLine(name(address.get(key)));
                if (part != null && parts.stream().noneMatch(p -> p.equalsIgnoreCase(part))) {
                    parts.add(part);
                }
            }
            if (!parts.isEmpty()) {
                return String.join(", ", parts);
            }
        }
        return PlainText.oneLine(name(place));
    }

    private String applyUrl(JsonNode actions) {
        for (JsonNode action : items(actions)) {
            action = resolve.apply(action);
            JsonNode target = action == null ? null : action.get("target");
            for (JsonNode t : items(target)) {
                String url =
                        t.isValueNode() ? t.asText() : text(t.has("urlTemplate") ? t.get("urlTemplate") : t.get("url"));
                if (url != null && url.matches("(?i)https?://\\S+")) {
                    return url;
                }
            }
        }
        return null;
    }

    /** Distinct employment types as schema.org codes, joined with ", ". */
    static String employmentTypes(JsonNode node) {
        Set<String> types = new LinkedHashSet<>();
        for (JsonNode each : items(node)) {
            for (String part : each.asText("").split("\\s*,\\s*")) {
                String code = EmploymentType.normalise(part);
                if (code != null) {
                    types.add(code);
                }
            }
        }
        return types.isEmpty() ? null : String.join(", ", types);
    }

    private JsonNode resolved(JsonNode node) {
        return node == null ? null : resolve.apply(node);
    }

    /** A name: the text itself, or an object's {@code name} (after resolving references). */
    private String name(JsonNode node) {
        for (JsonNode n : items(node)) {
            n = resolve.apply(n);
            String t = n.isObject() ? text(n.has("name") ? n.get("name") : n.get("legalName")) : text(n);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** Text of a value node, of a {@code {"@value": …}} object, or the first of an array. */
    static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isArray()) {
            for (JsonNode each : node) {
                String t = text(each);
                if (t != null) {
                    return t;
                }
            }
            return null;
        }
        if (node.isObject()) {
            return node.has("@value") ? text(node.get("@value")) : null;
        }
        String t = node.asText();
        return t.isBlank() ? null : t.trim();
    }

    static List<JsonNode> items(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node == null || node.isNull() || node.isMissingNode()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(out::add);
        } else {
            out.add(node);
        }
        return out;
    }

    /** Helper for readers that only have a map (microdata read by the page script). */
    static JsonNode tree(Map<String, Object> item) {
        return JsonLd.LENIENT.valueToTree(item);
    }
}
