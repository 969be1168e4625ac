package io.ghosthands.app.api;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.activities.store.NewJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns VALET's {@code /valet/apply} and {@code /valet/task} bodies into jobs. Lenient where the real
 * client is sloppy (contract "Compatibility"): {@code platform:"unknown"}, empty e-mail and storage
 * path, {@code graduation_year: 0}, fractional years, scheme-less profile links are all kept as sent;
 * only the fields GhostHands acts on are checked.
 */
final class ValetInput {

    static final Set<String> QUALITIES = Set.of("speed", "balanced", "quality");

    private ValetInput() {}

    static NewJob apply(ObjectNode body, OutboundUrlPolicy policy) {
        List<FieldError> errors = new ArrayList<>();
        ObjectNode profile = object(body, "profile", errors);
        ObjectNode resume = object(body, "resume", errors);
        ObjectNode qa = object(body, "qa_answers", errors);
        String platform = string(body, "platform", 50, errors);
        String quality = string(body, "quality", 20, errors);
        if (quality != null && !quality.isEmpty() && !QUALITIES.contains(quality)) {
            errors.add(new FieldError("quality", "must be one of balanced, quality, speed", "invalid_enum"));
        }
        for (String field : List.of("model", "image_model")) {
            string(body, field, 100, errors);
        }

        ObjectNode input = JsonNodeFactory.instance.objectNode();
        input.set("user_data", profile);
        input.set("qa_overrides", qa);
        if (!resume.isEmpty()) {
            input.set("resume_ref", resume);
        }
        input.put(
                "platform", platform == null || platform.isEmpty() || platform.equals("unknown") ? "other" : platform);
        putIfPresent(input, "quality", quality);
        copy(body, input, "model", "image_model", "valet_user_id");

        ObjectNode job = common(body, "apply", input);
        if (!body.hasNonNull("task_description")) {
            job.put(
                    "task_description",
                    "Apply to the job posting at " + body.path("target_url").asString(""));
        }
        if (!resume.isEmpty()) {
            job.set("resume_ref", resume);
        }
        if (job.get("metadata") instanceof ObjectNode) { // else invalid, and reported as such
            putIfPresent((ObjectNode) job.get("metadata"), "quality_preset", quality);
        }
        return build(job, errors, policy);
    }

    static NewJob task(ObjectNode body, OutboundUrlPolicy policy) {
        List<FieldError> errors = new ArrayList<>();
        for (String field : List.of("model", "image_model")) {
            string(body, field, 100, errors);
        }
        JsonNode given = body.get("input_data");
        ObjectNode input = given != null && given.isObject()
                ? ((ObjectNode) given).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        copy(body, input, "model", "image_model", "valet_user_id");
        ObjectNode job = common(
                body, body.path("job_type").isString() ? body.get("job_type").asString() : null, input);
        if (given != null && !given.isNull() && !given.isObject()) {
            job.set("input_data", given); // let the job validator name it
        }
        if (body.has("job_type") && !body.get("job_type").isString()) {
            job.set("job_type", body.get("job_type"));
        }
        return build(job, errors, policy);
    }

    /** The fields both routes share, mapped onto a {@code POST /jobs} body. */
    private static ObjectNode common(ObjectNode body, String jobType, ObjectNode input) {
        ObjectNode job = JsonNodeFactory.instance.objectNode();
        if (jobType != null) {
            job.put("job_type", jobType);
        }
        copy(
                body,
                job,
                "target_url",
                "task_description",
                "callback_url",
                "priority",
                "timeout_seconds",
                "max_retries",
                "idempotency_key",
                "target_worker_id",
                "worker_affinity",
                "valet_task_id",
                "execution_mode",
                "scheduled_at",
                "tags");
        job.set("input_data", input);
        JsonNode userId = body.get("valet_user_id");
        if (userId != null && userId.isString() && isUuid(userId.asString())) {
            job.put("user_id", userId.asString());
        }
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        JsonNode given = body.get("metadata");
        if (given != null && given.isObject()) {
            metadata.setAll((ObjectNode) given);
        } else if (given != null && !given.isNull()) {
            job.set("metadata", given); // invalid: reported by the job validator
        }
        metadata.put("source", "valet");
        copy(body, metadata, "valet_task_id");
        if (!job.has("metadata")) {
            job.set("metadata", metadata);
        }
        if (!job.has("tags")) {
            job.set("tags", JsonNodeFactory.instance.arrayNode().add("valet").add(jobType == null ? "task" : jobType));
        }
        return job;
    }

    private static NewJob build(ObjectNode job, List<FieldError> errors, OutboundUrlPolicy policy) {
        NewJob parsed = null;
        try {
            parsed = JobInput.newJob(job, "valet", policy);
        } catch (ValidationException e) {
            errors.addAll(0, e.errors());
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return parsed;
    }

    private static ObjectNode object(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            errors.add(new FieldError(field, "must be a JSON object", "invalid_type"));
            return JsonNodeFactory.instance.objectNode();
        }
        return (ObjectNode) node;
    }

    private static String string(ObjectNode body, String field, int max, List<FieldError> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            errors.add(new FieldError(field, "must be a string", "invalid_type"));
            return null;
        }
        if (node.asString().length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters", "too_long"));
            return null;
        }
        return node.asString();
    }

    private static void copy(ObjectNode from, ObjectNode to, String... fields) {
        for (String field : fields) {
            JsonNode node = from.get(field);
            if (node != null && !node.isNull()) {
                to.set(field, node);
            }
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static boolean isUuid(String s) {
        try {
            UUID.fromString(s);
            return s.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
