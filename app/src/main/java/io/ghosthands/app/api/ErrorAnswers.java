package io.ghosthands.app.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract's error body ({@code {"error": code, "message": …}}) for answers written outside a
 * controller: by a filter, by {@link ApiErrorController} for errors the container reports, and by
 * {@link JsonErrorValve} for requests Tomcat refuses before the application sees them.
 */
final class ErrorAnswers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ErrorAnswers() {}

    /** The contract's error code for an HTTP status (contract section 2, and the HTTP reason otherwise). */
    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 408 -> "request_timeout";
            case 409 -> "conflict";
            case 411 -> "length_required";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 422 -> "validation_error";
            case 429 -> "rate_limited";
            case 431 -> "request_header_fields_too_large";
            case 501 -> "not_implemented";
            case 503 -> "service_unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    static byte[] body(String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return JSON.writeValueAsBytes(body);
    }

    /**
     * Writes an error answer on a response nothing has been written to yet, with the request's
     * {@code X-Request-Id}.
     */
    static void write(HttpServletRequest request, HttpServletResponse response, int status, String code, String message)
            throws IOException {
        byte[] body = body(code, message);
        response.setStatus(status);
        RequestIdFilter.ensureHeader(request, response);
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
