package io.ghosthands.app.api;

import java.util.List;

/** A request that parsed but broke the contract's rules; answered 422 naming every bad field. */
public class ValidationException extends RuntimeException {

    private final List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(errors.size() + " invalid field(s)");
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
