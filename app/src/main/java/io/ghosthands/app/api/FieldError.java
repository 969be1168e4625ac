package io.ghosthands.app.api;

/**
 * One entry of a 422's {@code details}.
 *
 * @param field the JSON path of the bad field, e.g. {@code target_worker_id} or {@code tags[3]}
 * @param message what is wrong, for people
 * @param code machine-readable: {@code required}, {@code invalid_type}, {@code too_long},
 *     {@code out_of_range}, {@code invalid_url}, {@code invalid_enum}, {@code invalid_format}
 */
public record FieldError(String field, String message, String code) {}
