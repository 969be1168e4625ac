package io.ghosthands.app.api;

import java.util.Map;
import org.springframework.http.HttpStatus;

/** An error answer of the contract: an HTTP status and its JSON body. */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final Map<String, Object> body;

    public ApiException(HttpStatus status, Map<String, Object> body) {
        super(String.valueOf(body.get("error")));
        this.status = status;
        this.body = body;
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, Map.of("error", "not_found", "message", what + " not found"));
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, Map.of("error", "bad_request", "message", message));
    }

    public HttpStatus status() {
        return status;
    }

    public Map<String, Object> body() {
        return body;
    }
}
