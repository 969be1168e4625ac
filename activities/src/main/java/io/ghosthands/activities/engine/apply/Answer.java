package io.ghosthands.activities.engine.apply;

import java.util.ArrayList;
import java.util.List;

/**
 * What to put in a field.
 *
 * @param value what is typed into a text field or reported as filled
 * @param spellings other ways of saying the same, tried in order against a choice's options
 *     ({@code value} first)
 * @param source where it came from: {@code profile.<field>}, {@code qa_overrides}, {@code consent},
 *     {@code decline}
 */
record Answer(String value, List<String> spellings, String source) {

    static Answer of(String value, String source, List<String> more) {
        List<String> all = new ArrayList<>();
        all.add(value);
        all.addAll(more);
        return new Answer(value, Text.distinct(all), source);
    }

    static Answer of(String value, String source) {
        return of(value, source, List.of());
    }

    /** Yes or no, with the usual other spellings. */
    static Answer yesNo(boolean yes, String source, List<String> more) {
        List<String> spellings = new ArrayList<>(yes ? List.of("Yes", "Y", "True") : List.of("No", "N", "False"));
        spellings.addAll(more);
        return new Answer(yes ? "Yes" : "No", Text.distinct(spellings), source);
    }

    /** Whether the answer means "yes" / "check it" (for checkboxes). */
    boolean affirmative() {
        return Text.normalize(value).matches("yes|y|true|1|checked|check|agree|i agree|accept|on|x");
    }
}
