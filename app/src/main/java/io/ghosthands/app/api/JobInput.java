package io.ghosthands.app.api;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.activities.store.NewJob;
import io.ghosthands.workflows.WorkerAffinity;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates a job-creation body (contract section 2, {@code POST /jobs}). Collects every
 * problem before answering, so one 422 names all bad fields. Unknown fields are ignored.
 */
public final class JobInput {

    static final JsonMapper JSON = JsonMapper.builder().build();

    public static final Set<String> JOB_TYPES = Set.of("apply", "scrape", "fill_form", "custom");
    public static final Set<String> AFFINITIES = WorkerAffinity.CODES;

    private final List<FieldError> errors = new ArrayList<>();
    private final OutboundUrlPolicy policy;

    private JobInput(OutboundUrlPolicy policy) {
        this.policy = policy;
    }

    /**
     * Parses a JSON text into an object node; 400 when it is not JSON or not an object, 422 naming
     * every field (at any depth) whose name or text holds a NUL character, which PostgreSQL cannot
     * store, or whose number is too large for a double — whatever the route does with the field.
     */
    public static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        String text = body.strip();
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JacksonException e) {
            throw ApiException.badRequest("Malformed JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("Request body must be a JSON object");
        }
        List<FieldError> nul = new ArrayList<>();
        unstorableValues(node, "", nul);
        if (!nul.isEmpty()) {
            throw new ValidationException(nul);
        }
        return (ObjectNode) node;
    }

    /**
     * Validates a {@code POST /jobs} body; throws {@link ValidationException} naming every bad field.
     * {@code target_url} and {@code callback_url} must also pass {@code policy}, on their literal host
     * and on the addresses it resolves to (a name that does not resolve yet passes).
     */
    public static NewJob newJob(ObjectNode body, String createdBy, OutboundUrlPolicy policy) {
        JobInput in = new JobInput(Objects.requireNonNull(policy, "policy"));
        unstorableValues(body, "", in.errors);
        String jobType = in.requiredString(body, "job_type", 50);
        if (jobType != null && !JOB_TYPES.contains(jobType)) {
            in.error("job_type", "must be one of " + String.join(", ", sorted(JOB_TYPES)), "invalid_enum");
        }
        String targetUrl = in.url(body, "target_url", true);
        String description = in.optionalString(body, "task_description", 1000);
        ObjectNode inputData = in.object(body, "input_data");
        in.hitlTimeout(inputData.get("hitl_timeout_seconds"));
        int priority = in.integer(body, "priority", 5, 1, 10);
        OffsetDateTime scheduledAt = in.timestamp(body, "scheduled_at");
        int maxRetries = in.integer(body, "max_retries", 3, 0, 10);
        int timeoutSeconds = in.integer(body, "timeout_seconds", 300, 30, 1800);
        ArrayNode tags = in.tags(body, "tags");
        String idempotencyKey = in.optionalString(body, "idempotency_key", 255);
        ObjectNode metadata = in.object(body, "metadata");
        String callbackUrl = in.url(body, "callback_url", false);
        UUID userId = in.uuid(body, "user_id");
        String targetWorkerId = in.optionalString(body, "target_worker_id", 100);
        String affinity = in.optionalString(body, "worker_affinity", 20);
        if (affinity != null && !AFFINITIES.contains(affinity)) {
            in.error("worker_affinity", "must be one of any, preferred, strict", "invalid_enum");
        }
        String valetTaskId = in.optionalString(body, "valet_task_id", 255);
        String executionMode = in.optionalString(body, "execution_mode", 30);
        JsonNode resumeRef = body.get("resume_ref");
        if (!absent(resumeRef) && !resumeRef.isObject()) {
            in.error("resume_ref", "must be a JSON object", "invalid_type");
        }
        in.throwIfAny();
        return new NewJob(
                jobType,
                targetUrl,
                description == null ? "" : description,
                inputData.toString(),
                priority,
                scheduledAt,
                maxRetries,
                timeoutSeconds,
                tags.toString(),
                emptyToNull(idempotencyKey),
                metadata.toString(),
                emptyToNull(callbackUrl),
                userId,
                emptyToNull(targetWorkerId),
                WorkerAffinity.codeOf(affinity),
                createdBy,
                emptyToNull(valetTaskId),
                absent(resumeRef) ? null : resumeRef.toString(),
                executionMode == null || executionMode.isEmpty() ? "auto" : executionMode);
    }

    /** {@code input_data.hitl_timeout_seconds}: absent, or whole seconds a pause waits for a human. */
    private void hitlTimeout(JsonNode hitl) {
        if (!absent(hitl)
                && (!hitl.isNumber()
                        || !hitl.canConvertToExactIntegral()
                        || !hitl.canConvertToInt()
                        || hitl.intValue() < 10
                        || hitl.intValue() > 86_400)) {
            error(
                    "input_data.hitl_timeout_seconds",
                    "must be an integer between 10 and 86400 (seconds a pause waits for a human)",
                    hitl.isNumber() ? "out_of_range" : "invalid_type");
        }
    }

    private void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    /**
     * Validates a {@code POST /jobs/batch} body: {@code jobs} (1–50 job objects) and optional
     * {@code defaults} applied under each job's own fields. Errors name the job: {@code jobs[3].target_url}.
     */
    public static List<NewJob> batch(ObjectNode body, String createdBy, OutboundUrlPolicy policy) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode defaults = body.get("defaults");
        if (defaults != null && !defaults.isNull() && !defaults.isObject()) {
            errors.add(new FieldError("defaults", "must be a JSON object", "invalid_type"));
            defaults = null;
        }
        JsonNode jobs = body.get("jobs");
        List<NewJob> out = new ArrayList<>();
        if (jobs == null || jobs.isNull() || !jobs.isArray()) {
            errors.add(new FieldError(
                    "jobs",
                    "is required: an array of 1 to 50 jobs",
                    jobs == null || jobs.isNull() ? "required" : "invalid_type"));
        } else if (jobs.isEmpty() || jobs.size() > 50) {
            errors.add(new FieldError("jobs", "must hold 1 to 50 jobs (got " + jobs.size() + ")", "out_of_range"));
        } else {
            for (int i = 0; i < jobs.size(); i++) {
                JsonNode job = jobs.get(i);
                if (!job.isObject()) {
                    errors.add(new FieldError("jobs[" + i + "]", "must be a JSON object", "invalid_type"));
                    continue;
                }
                ObjectNode merged = JsonNodeFactory.instance.objectNode();
                if (defaults != null && !defaults.isNull()) {
                    merged.setAll((ObjectNode) defaults);
                }
                merged.setAll((ObjectNode) job);
                try {
                    NewJob parsed = newJob(merged, createdBy, policy);
                    if (parsed.idempotencyKey() != null
                            && out.stream()
                                    .anyMatch(o -> parsed.idempotencyKey().equals(o.idempotencyKey()))) {
                        errors.add(new FieldError(
                                "jobs[" + i + "].idempotency_key",
                                "repeats an earlier job's key in this batch",
                                "duplicate"));
                    }
                    out.add(parsed);
                } catch (ValidationException e) {
                    for (FieldError f : e.errors()) {
                        errors.add(new FieldError("jobs[" + i + "]." + f.field(), f.message(), f.code()));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return out;
    }

    /**
     * PostgreSQL text and jsonb cannot hold U+0000, and JSON cannot hold an infinite number: name
     * every field that has one.
     */
    private static void unstorableValues(JsonNode node, String path, List<FieldError> errors) {
        if (node.isFloatingPointNumber() && !node.isBigDecimal() && !Double.isFinite(node.doubleValue())) {
            // 1e309 reads as infinity, which JSON cannot write back: it would be stored as the text "Infinity"
            errors.add(new FieldError(path, "must be a number within the range of a 64-bit float", "out_of_range"));
        } else if (node.isString()) {
            if (node.stringValue().indexOf('\u0000') >= 0) {
                errors.add(new FieldError(path, "must not contain the NUL character (U+0000)", "invalid_format"));
            } else if (unpairedSurrogate(node.stringValue())) {
                // an escape such as \ud800 alone names no character: it would be stored as "?"
                errors.add(new FieldError(
                        path, "must be valid Unicode (it has an unpaired surrogate escape)", "invalid_format"));
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String key = e.getKey();
                if (key.indexOf('\u0000') >= 0 || unpairedSurrogate(key)) {
                    errors.add(new FieldError(
                            path.isEmpty() ? "(field name)" : path,
                            "field names must be valid Unicode without the NUL character (U+0000)",
                            "invalid_format"));
                    continue;
                }
                unstorableValues(e.getValue(), path.isEmpty() ? key : path + "." + key, errors);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                unstorableValues(node.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static boolean unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private void error(String field, String message, String code) {
        errors.add(new FieldError(field, message, code));
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private String requiredString(ObjectNode body, String field, int max) {
        JsonNode node = body.get(field);
        if (absent(node) || (node.isString() && node.stringValue().isBlank())) {
            error(field, "is required", "required");
            return null;
        }
        return string(field, node, max);
    }

    private String optionalString(ObjectNode body, String field, int max) {
        JsonNode node = body.get(field);
        return absent(node) ? null : string(field, node, max);
    }

    private String string(String field, JsonNode node, int max) {
        if (!node.isString()) {
            error(field, "must be a string", "invalid_type");
            return null;
        }
        String value = node.stringValue();
        if (value.length() > max) {
            error(field, "must be at most " + max + " characters (got " + value.length() + ")", "too_long");
            return null;
        }
        return value;
    }

    private String url(ObjectNode body, String field, boolean required) {
        String value = required ? requiredString(body, field, 2048) : optionalString(body, field, 2048);
        if (value == null || value.isEmpty()) {
            return value;
        }
        if (!isHttpUrl(value)) {
            error(field, "must be an absolute http or https URL", "invalid_url");
            return null;
        }
        Optional<OutboundUrlPolicy.Refusal> refusal = policy.check(value);
        if (refusal.isPresent()) {
            error(
                    field,
                    "is not an address jobs may reach: " + refusal.get().message(),
                    OutboundUrlPolicy.BLOCKED_ADDRESS);
            return null;
        }
        return value;
    }

    static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && !uri.getHost().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private ObjectNode object(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (absent(node)) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            error(field, "must be a JSON object", "invalid_type");
            return JsonNodeFactory.instance.objectNode();
        }
        return (ObjectNode) node;
    }

    private int integer(ObjectNode body, String field, int dflt, int min, int max) {
        JsonNode node = body.get(field);
        if (absent(node)) {
            return dflt;
        }
        if (!node.isNumber() || !node.canConvertToExactIntegral() || !node.canConvertToInt()) {
            error(field, "must be an integer", "invalid_type");
            return dflt;
        }
        int value = node.intValue();
        if (value < min || value > max) {
            error(field, "must be between " + min + " and " + max + " (got " + value + ")", "out_of_range");
            return dflt;
        }
        return value;
    }

    private OffsetDateTime timestamp(ObjectNode body, String field) {
        String value = optionalString(body, field, 64);
        if (value == null) {
            return null;
        }
        try {
            // an empty text is not "now": leave the field out (or null) for that
            OffsetDateTime at = OffsetDateTime.parse(value);
            int year = at.getYear() < 1 || at.getYear() > 9999
                    ? at.getYear()
                    : at.withOffsetSameInstant(ZoneOffset.UTC).getYear();
            if (year < 1 || year > 9999) {
                // beyond what PostgreSQL's timestamptz holds (and any plan)
                error(field, "must be a date between the years 1 and 9999", "out_of_range");
                return null;
            }
            return at;
        } catch (DateTimeException e) {
            error(field, "must be an ISO-8601 timestamp with offset, e.g. 2026-01-31T09:00:00Z", "invalid_format");
            return null;
        }
    }

    private UUID uuid(ObjectNode body, String field) {
        String value = optionalString(body, field, 36);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            error(field, "must be a UUID", "invalid_format");
            return null;
        }
    }

    private ArrayNode tags(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (absent(node)) {
            return JsonNodeFactory.instance.arrayNode();
        }
        if (!node.isArray()) {
            error(field, "must be an array of strings", "invalid_type");
            return JsonNodeFactory.instance.arrayNode();
        }
        if (node.size() > 20) {
            error(field, "must have at most 20 tags (got " + node.size() + ")", "too_long");
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode tag = node.get(i);
            if (!tag.isString()) {
                error(field + "[" + i + "]", "must be a string", "invalid_type");
            } else if (tag.stringValue().length() > 50) {
                error(field + "[" + i + "]", "must be at most 50 characters", "too_long");
            }
        }
        return (ArrayNode) node;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
