package io.ghosthands.activities.engine.apply;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the apply engine did with one field, as reported in {@code result_data.fields}.
 *
 * @param label the question as the page words it (required markers dropped)
 * @param kind the scan's widget kind ({@code text}, {@code select}, {@code combo}…)
 * @param elementId the element's {@code id} attribute, or ""
 * @param elementName the element's {@code name} attribute, or ""
 * @param status {@code filled}; {@code kept} (the page already held a value the profile says nothing
 *     against); {@code unanswered} (nothing known answers it); {@code not_offered} (an answer is known,
 *     the widget did not take it: no matching option, or it did not open); {@code unchecked} (the
 *     answer to a checkbox is no)
 * @param value what the field shows (filled, kept) or the answer meant for it (not_offered); secrets
 *     masked
 * @param source where the answer came from ({@code profile.<field>}, {@code qa_overrides},
 *     {@code consent}, {@code decline}, {@code page}), or ""
 */
public record FieldReport(
        String label,
        String kind,
        boolean required,
        String elementId,
        String elementName,
        String status,
        String value,
        String source) {

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("kind", kind);
        m.put("required", required);
        m.put("status", status);
        m.put("value", value);
        if (!source.isEmpty()) {
            m.put("source", source);
        }
        return m;
    }
}
