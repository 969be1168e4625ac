package io.ghosthands.activities.engine.apply;

import java.util.List;

/**
 * One field found by the page scan, as the scan script reports it. {@code idx} is stamped on the
 * element ({@code data-gh-field}) for the lifetime of that scan; options of radio and button groups
 * are stamped {@code data-gh-opt="idx:k"}.
 *
 * @param kind {@code text}, {@code select}, {@code radio}, {@code checkbox}, {@code file}, {@code combo}
 *     (typeable combobox / autocomplete input), {@code popup} (button that opens a listbox) or
 *     {@code choice} (ARIA radiogroup or a group of answer buttons)
 * @param label the question as a person reads it, markers included ("First Name *")
 * @param value what the field holds now (empty when nothing is chosen or typed)
 * @param section the fieldset legend around it, if any
 * @param context the part of the form it is in when the page says so: {@code education} (a school,
 *     its degree and dates), {@code work} (a job of the work history), else empty
 * @param entry which entry of its part it is in, when the part repeats its questions per entry (Workday's
 *     "Work Experience 1", "Work Experience 2"): 0 for the first (and for a part with one entry, or a
 *     field in none), -1 when the part repeats but the scan cannot tell which entry holds the field
 */
public record FormField(
        int idx,
        String kind,
        String tag,
        String type,
        String label,
        boolean required,
        boolean visible,
        String value,
        List<Option> options,
        String name,
        String id,
        String autocomplete,
        String placeholder,
        boolean invalid,
        String section,
        String accept,
        boolean multiple,
        int maxLength,
        String context,
        int entry) {

    /** A choice of a select, radio group or button group; {@code index} is the native option index. */
    public record Option(String text, String value, Integer index, boolean selected) {}

    public FormField {
        label = label == null ? "" : label;
        value = value == null ? "" : value;
        options = options == null ? List.of() : options;
        name = name == null ? "" : name;
        id = id == null ? "" : id;
        autocomplete = autocomplete == null ? "" : autocomplete;
        placeholder = placeholder == null ? "" : placeholder;
        section = section == null ? "" : section;
        accept = accept == null ? "" : accept;
        type = type == null ? "" : type;
        context = context == null ? "" : context;
    }

    /** The label without required markers, for people and for matching. */
    public String question() {
        String q = label.replaceAll("[*✱]", " ").replaceAll("(?i)\\((required|optional)\\)", " ");
        q = q.replaceAll("(?i)\\s+required\\s*$", "");
        q = q.replaceAll("\\s+", " ").trim();
        return q.isEmpty() ? name : q;
    }

    public boolean isEmpty() {
        return value.isBlank();
    }

    /** CSS selector of the element in the frame it was scanned in. */
    public String selector() {
        return "[data-gh-field='" + idx + "']";
    }

    /** CSS selector of the k-th option of a radio or button group. */
    public String optionSelector(int k) {
        return "[data-gh-opt='" + idx + ":" + k + "']";
    }

    /**
     * A key that stays the same for this field across scans of the same page; the same question of
     * another entry (a second job's "Job Title", with no id of its own) is another field.
     */
    public String key() {
        return kind + "|" + question() + "|" + name + "|" + id + (entry == 0 ? "" : "|" + entry);
    }

    public boolean secret() {
        return "password".equals(type)
                || question().toLowerCase().matches(".*\\b(password|ssn|social security|passcode|pin)\\b.*");
    }
}
