package io.ghosthands.app.api;

import io.ghosthands.activities.store.DatabaseOutage;
import io.ghosthands.app.jobs.DuplicateJobException;
import io.ghosthands.app.jobs.JobStateException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one error model of the API (contract section 2): every error is JSON with an {@code error}
 * code; bad input is never a 500.
 */
@RestControllerAdvice
class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> api(ApiException e) {
        return json(e.status(), e.body());
    }

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<Map<String, Object>> validation(ValidationException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "validation_error");
        body.put("message", "Request validation failed");
        body.put("details", e.errors());
        return json(HttpStatus.UNPROCESSABLE_CONTENT, body);
    }

    @ExceptionHandler(DuplicateJobException.class)
    ResponseEntity<Map<String, Object>> duplicate(DuplicateJobException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.errorCode());
        body.put("message", e.getMessage());
        body.put("existing_job_id", e.existingJobId());
        body.put("existing_status", e.existingStatus());
        body.put("job_id", e.existingJobId());
        return json(HttpStatus.CONFLICT, body);
    }

    @ExceptionHandler(JobStateException.class)
    ResponseEntity<Map<String, Object>> state(JobStateException e) {
        if (e.kind() == JobStateException.Kind.NOT_FOUND) {
            return error(HttpStatus.NOT_FOUND, "not_found", "Job not found");
        }
        boolean cancel = e.kind() == JobStateException.Kind.NOT_CANCELLABLE;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", cancel ? "job_not_cancellable" : "job_not_retryable");
        body.put(
                "message",
                "Job is " + e.currentStatus()
                        + (cancel
                                ? "; only pending, queued, running or paused jobs can be cancelled"
                                : "; only failed, cancelled or expired jobs can be retried"));
        body.put("current_status", e.currentStatus());
        return json(HttpStatus.CONFLICT, body);
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, MissingServletRequestParameterException.class})
    ResponseEntity<Map<String, Object>> unreadable(Exception e) {
        return error(HttpStatus.BAD_REQUEST, "bad_request", "The request could not be read");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> mismatch(MethodArgumentTypeMismatchException e) {
        return error(HttpStatus.BAD_REQUEST, "bad_request", "Invalid value for " + e.getName());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, Object>> noRoute(NoResourceFoundException e) {
        return error(HttpStatus.NOT_FOUND, "not_found", "No route " + e.getResourcePath());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
        return error(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed", e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Map<String, Object>> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return error(
                HttpStatus.NOT_ACCEPTABLE,
                "not_acceptable",
                "This API answers in JSON only: send Accept: application/json (or none)");
    }

    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Map<String, Object>> badParameters(InvalidParameterException e) {
        return error(
                HttpStatus.BAD_REQUEST,
                "bad_request",
                "The query string is not valid: every % must start a %XX escape of UTF-8 bytes");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        if (DatabaseOutage.is(e)) {
            // PostgreSQL is down or restarting: not the caller's fault and not a bug. The request may be
            // sent again: a create's row is one transaction (written or not; if only the commit's answer
            // was lost, the idempotency key finds it)
            log.warn("database unavailable: {}", DatabaseOutage.describe(e));
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("Retry-After", "5")
                    .body(Map.of(
                            "error",
                            "database_unavailable",
                            "message",
                            "The database cannot be reached right now; try again shortly"));
        }
        log.error("unhandled error", e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal server error");
    }

    static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return json(status, body);
    }

    /**
     * An answer labelled JSON up front: Spring then writes it as JSON whatever the request's
     * {@code Accept} says, instead of failing to find a writer for it (which made a 406 a 500).
     */
    private static ResponseEntity<Map<String, Object>> json(HttpStatus status, Map<String, Object> body) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }
}
