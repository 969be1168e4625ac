package io.ghosthands.client;

import com.fasterxml.jackson.databind.JsonNode;

/** An error answer from the API (or no answer at all); subclasses name the ones worth catching. */
public class GhostHandsException extends RuntimeException {

    private final int status;
    private final String error;
    private final JsonNode body;

    public GhostHandsException(int status, String error, String message, JsonNode body) {
        super(message);
        this.status = status;
        this.error = error;
        this.body = body;
    }

    public GhostHandsException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.error = "transport_error";
        this.body = null;
    }

    /** The HTTP status, 0 when the API could not be reached. */
    public int status() {
        return status;
    }

    /** The API's {@code error} code, e.g. {@code validation_error}. */
    public String error() {
        return error;
    }

    /** The whole JSON error body, or null. */
    public JsonNode body() {
        return body;
    }

    /** 401: missing or wrong service key. */
    public static class UnauthorizedException extends GhostHandsException {
        public UnauthorizedException(int status, String error, String message, JsonNode body) {
            super(status, error, message, body);
        }
    }

    /** 422 (or 400): the request broke the contract; {@link #body()} has {@code details[]}. */
    public static class ValidationException extends GhostHandsException {
        public ValidationException(int status, String error, String message, JsonNode body) {
            super(status, error, message, body);
        }
    }

    /** 404: no such job. */
    public static class JobNotFoundException extends GhostHandsException {
        public JobNotFoundException(int status, String error, String message, JsonNode body) {
            super(status, error, message, body);
        }
    }

    /** 409 {@code duplicate_idempotency_key}. */
    public static class DuplicateIdempotencyKeyException extends GhostHandsException {
        public DuplicateIdempotencyKeyException(int status, String error, String message, JsonNode body) {
            super(status, error, message, body);
        }

        public String existingJobId() {
            JsonNode b = body();
            return b.hasNonNull("existing_job_id")
                    ? b.get("existing_job_id").asText()
                    : b.path("job_id").asText(null);
        }

        public String existingStatus() {
            JsonNode b = body();
            return b.hasNonNull("existing_status")
                    ? b.get("existing_status").asText()
                    : b.path("status").asText(null);
        }
    }

    /** 409 {@code job_not_cancellable}. */
    public static class JobNotCancellableException extends GhostHandsException {
        public JobNotCancellableException(int status, String error, String message, JsonNode body) {
            super(status, error, message, body);
        }

        public String currentStatus() {
            return body().path("current_status").asText(null);
        }
    }

    /** 409 {@code job_not_retryable}. */
    public static class JobNotRetryableException extends GhostHandsException {
        public JobNotRetryableException(int status, String error, String message, JsonNode body) {
            super(status, error, message, body);
        }

        public String currentStatus() {
            return body().path("current_status").asText(null);
        }
    }

    /** 409 {@code not_paused}: resume of a job that is not waiting for a human. */
    public static class NotPausedException extends GhostHandsException {
        public NotPausedException(int status, String error, String message, JsonNode body) {
            super(status, error, message, body);
        }
    }

    /** {@link GhostHandsClient#waitForCompletion} gave up. */
    public static class WaitTimeoutException extends GhostHandsException {
        public WaitTimeoutException(String message) {
            super(0, "timeout", message, null);
        }
    }
}
