package io.ghosthands.app.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Validates query-string parameters, collecting every problem for one 422. */
final class QueryInput {

    private final Map<String, String> params;
    private final List<FieldError> errors = new ArrayList<>();

    QueryInput(Map<String, String> params) {
        this.params = params;
    }

    String string(String name, int max) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.indexOf('\u0000') >= 0) {
            // PostgreSQL cannot compare with text holding it
            errors.add(new FieldError(name, "must not contain the NUL character (%00)", "invalid_format"));
            return null;
        }
        if (value.length() > max) {
            errors.add(new FieldError(name, "must be at most " + max + " characters", "too_long"));
            return null;
        }
        return value.strip();
    }

    int integer(String name, int dflt, int min, int max) {
        String value = params.get(name);
        if (value == null || value.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n < min || n > max) {
                errors.add(new FieldError(name, "must be between " + min + " and " + max, "out_of_range"));
                return dflt;
            }
            return n;
        } catch (NumberFormatException e) {
            errors.add(new FieldError(name, "must be an integer", "invalid_type"));
            return dflt;
        }
    }

    /** A comma-separated list whose every entry must be one of {@code allowed}. */
    List<String> list(String name, List<String> allowed) {
        String value = params.get(name);
        List<String> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String part : value.split(",")) {
            String item = part.strip();
            if (item.isEmpty()) {
                continue;
            }
            if (!allowed.contains(item)) {
                errors.add(new FieldError(
                        name, "'" + item + "' is not one of " + String.join(", ", allowed), "invalid_enum"));
            } else {
                out.add(item);
            }
        }
        return out;
    }

    void error(String field, String message, String code) {
        errors.add(new FieldError(field, message, code));
    }

    void check() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }
}
