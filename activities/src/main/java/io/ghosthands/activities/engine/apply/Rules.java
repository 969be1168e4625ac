package io.ghosthands.activities.engine.apply;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Small helpers the answer rules share. */
final class Rules {

    private Rules() {}

    /** Whether the normalized label {@code l} contains a match of {@code regex}. */
    static boolean has(String l, String regex) {
        return Pattern.compile(regex).matcher(l).find();
    }

    /** An answer of {@code value}, or none when it is blank. */
    static Optional<Answer> some(String value, String source, List<String> more) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Answer.of(value, source, more));
    }
}
