package io.ghosthands.activities.engine.scrape;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A posted pay range, as {@code result_data.salary_range}.
 *
 * @param min lowest amount (a whole number when it is one)
 * @param max highest amount; equal to {@code min} for a single figure
 * @param currency ISO 4217 code, or null when the page does not say
 * @param unit {@code hour}, {@code day}, {@code week}, {@code month} or {@code year}, or null
 */
record SalaryRange(Number min, Number max, String currency, String unit) {

    /** The JSON shape: {@code {min, max, currency, unit}}, nulls kept so the keys are stable. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("min", min);
        m.put("max", max);
        m.put("currency", currency);
        m.put("unit", unit);
        return m;
    }

    // ---- from schema.org: MonetaryAmount, QuantitativeValue, MonetaryAmountDistribution, or a bare value

    /** Reads {@code baseSalary} / {@code estimatedSalary}; {@code postingCurrency} is {@code salaryCurrency}. */
    static Optional<SalaryRange> fromJsonLd(JsonNode node, String postingCurrency) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return Optional.empty();
        }
        if (node.isArray()) {
            for (JsonNode each : node) {
                Optional<SalaryRange> r = fromJsonLd(each, postingCurrency);
                if (r.isPresent()) {
                    return r;
                }
            }
            return Optional.empty();
        }
        if (node.isNumber()) {
            return Optional.of(new SalaryRange(
                    whole(node.asDouble()), whole(node.asDouble()), currencyCode(postingCurrency), null));
        }
        if (node.isTextual()) {
            Double n = amount(node.asText().trim(), false);
            if (n != null) {
                return Optional.of(new SalaryRange(whole(n), whole(n), currencyCode(postingCurrency), null));
            }
            return parse(node.asText())
                    .map(r -> r.currency() == null ? r.withCurrency(currencyCode(postingCurrency)) : r);
        }
        if (!node.isObject()) {
            return Optional.empty();
        }
        return fromObject(node, postingCurrency);
    }

    /** A MonetaryAmount, QuantitativeValue or MonetaryAmountDistribution object. */
    private static Optional<SalaryRange> fromObject(JsonNode node, String postingCurrency) {
        String currency = currencyCode(firstText(node.get("currency"), node.get("salaryCurrency")));
        if (currency == null) {
            currency = currencyCode(postingCurrency);
        }
        String unit = unit(node);
        Double min = number(node.get("minValue"));
        Double max = number(node.get("maxValue"));
        Double single = null;
        JsonNode value = node.get("value");
        if (value != null && value.isObject()) {
            // MonetaryAmount.value is usually a QuantitativeValue carrying the figures and the unit
            if (min == null) {
                min = number(value.get("minValue"));
            }
            if (max == null) {
                max = number(value.get("maxValue"));
            }
            single = number(value.get("value"));
            if (unit == null) {
                unit = unit(value);
            }
            String inner = currencyCode(firstText(value.get("currency")));
            if (inner != null && node.get("currency") == null) {
                currency = inner;
            }
        } else if (value != null && value.isArray() && value.size() > 0) {
            return fromJsonLd(value.get(0), currency);
        } else {
            single = number(value);
        }
        if (min == null && max == null) {
            // a MonetaryAmountDistribution gives percentiles instead
            min = number(node.get("percentile10"));
            max = number(node.get("percentile90"));
            if (min == null && max == null) {
                min = number(node.get("median"));
            }
        }
        if (min == null && max == null && single == null) {
            return Optional.empty();
        }
        if (min == null && max == null) {
            min = single;
            max = single;
        } else if (min == null) {
            min = max;
        } else if (max == null) {
            max = min;
        }
        return Optional.of(new SalaryRange(whole(min), whole(max), currency, unit));
    }

    private SalaryRange withCurrency(String c) {
        return new SalaryRange(min, max, c, unit);
    }

    private static String unit(JsonNode node) {
        String text = firstText(node.get("unitText"), node.get("unitCode"));
        if (text == null && node.get("duration") != null) {
            text = node.get("duration").asText(); // ISO 8601 period, e.g. P1Y
        }
        return text == null ? null : unitWord(text);
    }

    /** YEAR, yearly, ANN (UN/CEFACT), P1Y, per annum… as one of our unit words; anything else lower-cased. */
    static String unitWord(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replaceAll("^(per|a|an|each|every)[\\s_]+|^/", "");
        switch (t) {
            case "year":
            case "yearly":
            case "annual":
            case "annually":
            case "annum":
            case "yr":
            case "ann":
            case "p1y":
                return "year";
            case "month":
            case "monthly":
            case "mo":
            case "mon":
            case "p1m":
                return "month";
            case "week":
            case "weekly":
            case "wk":
            case "wee":
            case "p1w":
                return "week";
            case "day":
            case "daily":
            case "p1d":
                return "day";
            case "hour":
            case "hourly":
            case "hr":
            case "hur":
            case "pt1h":
                return "hour";
            default:
                return t.isEmpty() ? null : t;
        }
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n == null || n.isNull()) {
                continue;
            }
            if (n.isArray() && n.size() > 0) {
                n = n.get(0);
            }
            if (n.isObject()) {
                n = n.has("name") ? n.get("name") : n.get("@value");
                if (n == null) {
                    continue;
                }
            }
            if (n.isValueNode() && !n.asText().isBlank()) {
                return n.asText().trim();
            }
        }
        return null;
    }

    private static Double number(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isTextual()) {
            String t = n.asText().trim().replaceAll("^[^\\d]+", "");
            boolean k = t.matches("(?i).*\\d\\s*k");
            Double d = amount(t.replaceAll("(?i)\\s*k$", ""), false);
            return d == null ? null : k ? d * 1000 : d;
        }
        return null;
    }

    /** A whole number as a Long (so JSON shows 120000, not 120000.0), anything else as a Double. */
    private static Number whole(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Number) (long) d : (Number) d;
    }

    // ---- from text: "$120,000 – $150,000 a year", "£30k-£35k per annum", "€25 – €30 per hour", "$45/hr"

    private static final String CUR = "(US\\$|CA\\$|C\\$|AU\\$|A\\$|NZ\\$|S\\$|HK\\$|R\\$|\\$|€|£|¥|₹"
            + "|\\b(?:USD|CAD|AUD|NZD|SGD|HKD|EUR|GBP|JPY|INR|CHF|BRL|PLN|SEK|NOK|DKK|ZAR|MXN)\\b)";
    private static final String NUM = "(\\d[\\d,.'\\u00a0\\u202f]*\\d|\\d)";
    private static final String K = "([kK](?![a-zA-Z]))?";
    private static final String UNIT = "(?:\\s*(?i:per|an|a|each|every|/)?\\s*"
            + "(?i:(year|yr|annum|annually|annual|hour|hr|hourly|month|mo|monthly|week|wk|weekly|day|daily))\\b)?";
    private static final Pattern RANGE = Pattern.compile(CUR + "?\\s?" + NUM + "\\s?" + K + "\\s?" + CUR + "?"
            + "\\s*(?:-|–|—|to|until)\\s*" + CUR + "?\\s?" + NUM + "\\s?" + K + "\\s?" + CUR + "?" + UNIT);
    private static final Pattern SINGLE = Pattern.compile(CUR + "\\s?" + NUM + "\\s?" + K + UNIT);

    /** The first pay range (with a currency) in free text, else the first single amount with a unit. */
    static Optional<SalaryRange> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = RANGE.matcher(text);
        while (m.find()) {
            // the currency must be on the first figure or after the last: in "since 2015 - $90,000" the
            // first figure is no money
            if (m.group(1) == null && m.group(4) == null && m.group(8) == null) {
                continue;
            }
            String currency = firstNonNull(m.group(1), m.group(4), m.group(5), m.group(8));
            Double a = amount(m.group(2), true);
            Double b = amount(m.group(6), true);
            if (a == null || b == null) {
                continue;
            }
            boolean ka = m.group(3) != null;
            boolean kb = m.group(7) != null;
            // "$50-60k": the k of one side applies to a bare small figure on the other
            if (ka || kb && a < 1000) {
                a *= 1000;
            }
            if (kb || ka && b < 1000) {
                b *= 1000;
            }
            if (b < a || b > a * 5) {
                continue; // not a pay range
            }
            return Optional.of(new SalaryRange(
                    whole(a), whole(b), currencyCode(currency), m.group(9) == null ? null : unitWord(m.group(9))));
        }
        Matcher s = SINGLE.matcher(text);
        while (s.find()) {
            Double a = amount(s.group(2), true);
            if (a == null || s.group(4) == null) {
                continue; // a lone figure without a unit is too often something else ("$5M raised")
            }
            if (s.group(3) != null) {
                a *= 1000;
            }
            return Optional.of(new SalaryRange(whole(a), whole(a), currencyCode(s.group(1)), unitWord(s.group(4))));
        }
        return Optional.empty();
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /**
     * A figure as written: 120,000 / 120.000 / 120 000 / 120000.50 / 120.000,50. With {@code strict},
     * anything that does not read as one number is rejected rather than guessed.
     */
    static Double amount(String raw, boolean strict) {
        if (raw == null) {
            return null;
        }
        String t = raw.replaceAll("[\\u00a0\\u202f' ]", "");
        try {
            if (t.matches("\\d+")) {
                return Double.parseDouble(t);
            }
            if (t.matches("\\d{1,3}(,\\d{3})+(\\.\\d+)?")) {
                return Double.parseDouble(t.replace(",", ""));
            }
            if (t.matches("\\d{1,3}(\\.\\d{3})+(,\\d+)?")) {
                return Double.parseDouble(t.replace(".", "").replace(',', '.'));
            }
            if (t.matches("\\d+[.,]\\d{1,2}")) {
                return Double.parseDouble(t.replace(',', '.'));
            }
            if (!strict && t.matches("\\d+\\.\\d+")) {
                return Double.parseDouble(t);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static final Map<String, String> SYMBOLS = Map.ofEntries(
            Map.entry("$", "USD"),
            Map.entry("US$", "USD"),
            Map.entry("CA$", "CAD"),
            Map.entry("C$", "CAD"),
            Map.entry("AU$", "AUD"),
            Map.entry("A$", "AUD"),
            Map.entry("NZ$", "NZD"),
            Map.entry("S$", "SGD"),
            Map.entry("HK$", "HKD"),
            Map.entry("R$", "BRL"),
            Map.entry("€", "EUR"),
            Map.entry("£", "GBP"),
            Map.entry("¥", "JPY"),
            Map.entry("₹", "INR"));

    /** A symbol or code as an ISO 4217 code; null for null or something unrecognisable. */
    static String currencyCode(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String t = raw.trim();
        if (SYMBOLS.containsKey(t)) {
            return SYMBOLS.get(t);
        }
        String upper = t.toUpperCase(Locale.ROOT);
        return upper.matches("[A-Z]{3}") ? upper : null;
    }
}
