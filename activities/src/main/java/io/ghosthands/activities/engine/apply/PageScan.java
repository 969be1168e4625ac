package io.ghosthands.activities.engine.apply;

import java.util.List;

/**
 * What one run of the scan script saw on a frame.
 *
 * @param heading first visible h1–h3
 * @param step the active step of a step indicator, if any
 * @param text visible text of the body (first 8000 characters)
 * @param cookieButton stamp of a cookie banner's accept button, or -1
 * @param errors visible validation / error messages
 */
public record PageScan(
        String url,
        String title,
        String heading,
        String step,
        String text,
        List<FormField> fields,
        List<Button> buttons,
        int cookieButton,
        List<String> errors) {

    /**
     * A clickable element; {@code idx} is stamped as {@code data-gh-btn}. For an "Add…" button,
     * {@code section} is the heading of the part of the form it is in ("Work Experience"), when it has
     * one, and {@code part} the context ({@code work}, {@code education}) of the fields right beside it
     * when they are all of one and nearer than any heading, else empty.
     */
    public record Button(
            int idx,
            String text,
            String tag,
            String type,
            boolean inForm,
            boolean disabled,
            String target,
            String href,
            String section,
            String part) {

        public Button {
            section = section == null ? "" : section;
            part = part == null ? "" : part;
        }

        public String selector() {
            return "[data-gh-btn='" + idx + "']";
        }
    }

    public PageScan {
        fields = fields == null ? List.of() : fields;
        buttons = buttons == null ? List.of() : buttons;
        errors = errors == null ? List.of() : errors;
        text = text == null ? "" : text;
        heading = heading == null ? "" : heading;
        step = step == null ? "" : step;
        url = url == null ? "" : url;
    }

    /** Fields a person can see and fill (file inputs count only when visible). */
    public List<FormField> visibleFields() {
        return fields.stream().filter(FormField::visible).toList();
    }

    /** The stuck-guard signature: url, heading, visible field count and step text. */
    public String signature() {
        return url + "|" + heading + "|" + visibleFields().size() + "|" + step;
    }
}
