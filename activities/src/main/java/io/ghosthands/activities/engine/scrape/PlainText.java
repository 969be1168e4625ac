package io.ghosthands.activities.engine.scrape;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns posting text into plain text: HTML tags dropped (block elements become line breaks),
 * character references decoded, whitespace normalised (one space within a line, no blank lines).
 * JSON-LD descriptions are HTML, often entity-escaped once more ({@code &lt;p&gt;}), so decoding
 * runs before and after stripping tags.
 */
final class PlainText {

    private PlainText() {}

    private static final Pattern DROPPED =
            Pattern.compile("(?is)<(script|style|noscript|template)\\b[^>]*>.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern BLOCK_TAG = Pattern.compile(
            "(?i)</?(p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|header|footer|blockquote|pre|dd|dt|dl|hr)\\b[^>]*>");
    private static final Pattern LIST_ITEM = Pattern.compile("(?i)<li\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[a-zA-Z/!][^>]*>");
    private static final Pattern ENTITY =
            Pattern.compile("&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});");
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"),
            Map.entry("lt", "<"),
            Map.entry("gt", ">"),
            Map.entry("quot", "\""),
            Map.entry("apos", "'"),
            Map.entry("nbsp", " "),
            Map.entry("ndash", "–"),
            Map.entry("mdash", "—"),
            Map.entry("rsquo", "’"),
            Map.entry("lsquo", "‘"),
            Map.entry("rdquo", "”"),
            Map.entry("ldquo", "“"),
            Map.entry("hellip", "…"),
            Map.entry("bull", "•"),
            Map.entry("middot", "·"),
            Map.entry("euro", "€"),
            Map.entry("pound", "£"),
            Map.entry("yen", "¥"),
            Map.entry("copy", "©"),
            Map.entry("reg", "®"),
            Map.entry("trade", "™"),
            Map.entry("eacute", "é"),
            Map.entry("egrave", "è"),
            Map.entry("uuml", "ü"),
            Map.entry("ouml", "ö"),
            Map.entry("auml", "ä"),
            Map.entry("szlig", "ß"),
            Map.entry("zwnj", ""),
            Map.entry("zwj", ""),
            Map.entry("shy", ""));

    /** Plain text of an HTML fragment (or of text that merely may contain HTML). */
    static String fromHtml(String html) {
        if (html == null) {
            return null;
        }
        String s = html;
        if (!s.contains("<") && s.contains("&lt;")) {
            s = decode(s); // the HTML itself was escaped
        }
        s = DROPPED.matcher(s).replaceAll(" ");
        s = LIST_ITEM.matcher(s).replaceAll("\n• ");
        s = BLOCK_TAG.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        s = decode(s);
        return normalise(s);
    }

    /**
     * Whitespace normalised: runs of spaces/tabs (and non-breaking spaces) become one space, each line
     * is trimmed, empty lines are dropped; lines are joined with {@code \n}. Null or blank gives null.
     */
    static String normalise(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String line : text.replace('\r', '\n').split("\n")) {
            String l =
                    line.replaceAll("[\\s\\u00a0\\u2007\\u202f\\u200b]+", " ").trim();
            if (l.isEmpty() || l.equals("•")) {
                continue;
            }
            if (out.length() > 0) {
                out.append('\n');
            }
            out.append(l);
        }
        return out.length() == 0 ? null : out.toString();
    }

    /** One line: all whitespace, line breaks included, collapsed to single spaces. */
    static String oneLine(String text) {
        if (text == null) {
            return null;
        }
        String s = text.replaceAll("[\\s\\u00a0\\u2007\\u202f\\u200b]+", " ").trim();
        return s.isEmpty() ? null : s;
    }

    static String decode(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String replacement;
            if (e.charAt(0) == '#') {
                try {
                    int cp = e.length() > 1 && (e.charAt(1) == 'x' || e.charAt(1) == 'X')
                            ? Integer.parseInt(e.substring(2), 16)
                            : Integer.parseInt(e.substring(1));
                    replacement = Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : m.group();
                } catch (NumberFormatException ex) {
                    replacement = m.group();
                }
            } else {
                replacement = NAMED.getOrDefault(e, m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
