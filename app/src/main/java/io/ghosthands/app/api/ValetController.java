package io.ghosthands.app.api;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.activities.store.JobRow;
import io.ghosthands.activities.store.NewJob;
import io.ghosthands.app.jobs.DuplicateJobException;
import io.ghosthands.app.jobs.JobService;
import io.ghosthands.app.jobs.JobStateException;
import io.ghosthands.app.jobs.NoLiveWorkflowException;
import io.ghosthands.app.live.JobLinks;
import io.ghosthands.workflows.JobStatus;
import io.ghosthands.workflows.payload.HumanAction;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@code /api/v1/gh/valet/*}: the routes the VALET client calls (contract section 2). */
@RestController
@RequestMapping("/api/v1/gh/valet")
@Tag(name = "VALET")
@SecurityRequirement(name = "serviceKey")
class ValetController {

    static final Set<String> RESOLUTION_TYPES = Set.of("manual", "code_entry", "credentials", "skip");

    private final JobService service;
    private final JobLinks links;
    private final OutboundUrlPolicy policy;

    ValetController(JobService service, OutboundUrlPolicy policy, JobLinks links) {
        this.links = links;
        this.policy = policy;
        this.service = service;
    }

    @PostMapping("/apply")
    @Operation(
            summary = "Apply to a job posting for a VALET user",
            responses = {
                @ApiResponse(
                        responseCode = "201",
                        description = "created",
                        content = @Content(schema = @Schema(implementation = ApiSchemas.ValetSubmitted.class))),
                @ApiResponse(
                        responseCode = "409",
                        description =
                                "duplicate (the same idempotency_key, or a valet_task_id whose job is active, completed or submitted): the existing job",
                        content = @Content(schema = @Schema(implementation = ApiSchemas.ValetSubmitted.class)))
            })
    ResponseEntity<Map<String, Object>> apply(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ApiSchemas.ValetApply.class)))
                    @RequestBody(required = false)
                    String body) {
        return submit(ValetInput.apply(JobInput.parseObject(body), policy));
    }

    @PostMapping("/task")
    @Operation(
            summary = "Any job type for a VALET user",
            responses =
                    @ApiResponse(
                            responseCode = "201",
                            description = "created",
                            content = @Content(schema = @Schema(implementation = ApiSchemas.ValetSubmitted.class))))
    ResponseEntity<Map<String, Object>> task(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ApiSchemas.ValetTask.class)))
                    @RequestBody(required = false)
                    String body) {
        return submit(ValetInput.task(JobInput.parseObject(body), policy));
    }

    /**
     * Creates the job as the only one of its VALET task: while an earlier job of the task is active or
     * completed, or recorded a submission, the answer is 409 with that job (see migration V008).
     */
    private ResponseEntity<Map<String, Object>> submit(NewJob job) {
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            JobService.Created created = service.create(job.exclusiveToItsValetTask());
            answer.put("job_id", created.id().toString());
            answer.put("valet_task_id", job.valetTaskId());
            answer.put("status", created.status());
            answer.put("created_at", created.createdAt());
            return ResponseEntity.status(HttpStatus.CREATED).body(answer);
        } catch (DuplicateJobException e) {
            // VALET reads job_id from a 409 as from a 201
            answer.put("job_id", e.existingJobId());
            answer.put("valet_task_id", job.valetTaskId());
            answer.put("status", e.existingStatus());
            answer.put("duplicate", true);
            answer.put("error", e.errorCode());
            answer.put("message", e.getMessage());
            return ResponseEntity.status(HttpStatus.CONFLICT).body(answer);
        }
    }

    @GetMapping("/status/{jobId}")
    @Operation(summary = "Status as VALET reads it: always timestamps{}, error{code,message}, cost{}")
    Map<String, Object> status(@PathVariable String jobId) {
        Map<String, Object> job = links.withLiveUrl(service.find(JobsController.parseId(jobId))
                .orElseThrow(() -> ApiException.notFound("Job " + jobId))
                .columns());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job_id", job.get("id"));
        answer.put("valet_task_id", job.get("valet_task_id"));
        answer.put("status", job.get("status"));
        answer.put("status_message", job.get("status_message"));
        answer.put("job_type", job.get("job_type"));
        answer.put("execution_mode", job.get("execution_mode"));
        answer.put("worker_id", job.get("worker_id"));
        answer.put("target_worker_id", job.get("target_worker_id"));
        answer.put("progress", null);
        answer.put("result", result(job));
        answer.put("error", error(job));
        answer.put(
                "interaction", JobStatus.PAUSED.value().equals(job.get("status")) ? job.get("interaction_data") : null);
        Map<String, Object> cost = new LinkedHashMap<>();
        JsonNode resultData = (JsonNode) job.get("result_data");
        JsonNode recorded = resultData == null ? null : resultData.get("cost");
        cost.put(
                "total_cost_usd",
                recorded != null ? recorded.path("total_cost_usd").asDouble(0) : 0.0);
        // what the completed/failed callback's cost said, stored with the job's end
        cost.put("action_count", job.get("action_count") instanceof Number n ? n.intValue() : 0);
        cost.put(
                "total_tokens", recorded != null ? recorded.path("total_tokens").asInt(0) : 0);
        answer.put("cost", cost);
        answer.put("cost_breakdown", cost);
        Map<String, Object> timestamps = new LinkedHashMap<>();
        timestamps.put("created_at", job.get("created_at"));
        timestamps.put("started_at", job.get("started_at"));
        timestamps.put("completed_at", job.get("completed_at"));
        timestamps.put("updated_at", job.get("updated_at"));
        answer.put("timestamps", timestamps);
        answer.put("browser_session_available", false);
        return answer;
    }

    /**
     * {@code {code, message, details}} of a job that has an error, else null: VALET takes any error
     * object for a failure. A job has one when it has an {@code error_code} (failed, expired, cancelled
     * by a human…) or its {@code error_details} say what went wrong; a job between automatic retries
     * (only {@code error_details.last_attempt}) has none.
     */
    private static Map<String, Object> error(Map<String, Object> job) {
        JsonNode details = (JsonNode) job.get("error_details");
        Object code = job.get("error_code");
        boolean message = details != null && details.hasNonNull("message");
        if (code == null && !message) {
            return null;
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message ? details.get("message").asString() : String.valueOf(code));
        error.put("details", details);
        return error;
    }

    private static Object result(Map<String, Object> job) {
        JsonNode data = (JsonNode) job.get("result_data");
        if (data == null && job.get("result_summary") == null) {
            return null;
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        if (data != null && data.isObject()) {
            result.setAll((ObjectNode) data);
        }
        result.put("summary", (String) job.get("result_summary"));
        JsonNode screenshots = (JsonNode) job.get("screenshot_urls");
        if (screenshots != null && screenshots.isArray() && !screenshots.isEmpty() && !result.has("screenshot_url")) {
            result.set("screenshot_url", screenshots.get(screenshots.size() - 1));
        }
        return result;
    }

    /**
     * Resumes (or cancels) a job paused for a human. Body optional: {@code action} resume|cancel,
     * {@code resolution}, {@code notes} / {@code resolution_notes}, {@code resolved_by},
     * {@code resolution_type}, {@code resolution_data}.
     */
    @PostMapping("/resume/{jobId}")
    @Operation(
            summary = "Resume or cancel a job paused for a human",
            responses =
                    @ApiResponse(
                            responseCode = "409",
                            description = "not_paused",
                            content = @Content(schema = @Schema(implementation = ApiSchemas.Error.class))))
    Map<String, Object> resume(
            @PathVariable String jobId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ApiSchemas.Resume.class)))
                    @RequestBody(required = false)
                    String body) {
        UUID id = JobsController.parseId(jobId);
        ObjectNode in =
                body == null || body.isBlank() ? JsonNodeFactory.instance.objectNode() : JobInput.parseObject(body);
        String action = in.path("action").isString()
                ? in.get("action").asString()
                : in.has("action") && !in.get("action").isNull() ? "?" : "resume";
        JsonNode type = in.get("resolution_type");
        JsonNode data = in.get("resolution_data");
        checkResume(action, type, data);
        requirePaused(service.find(id).orElseThrow(() -> ApiException.notFound("Job " + jobId)), jobId);
        // the resolution itself (codes, passwords) goes only to the workflow, encrypted; never to the
        // database or the logs
        HumanAction human = humanAction(in, action, type, data);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job_id", jobId);
        if (action.equals("cancel")) {
            JobRow row;
            try {
                row = service.cancelByHuman(id, human);
            } catch (NoLiveWorkflowException e) {
                throw JobsController.noLiveWorkflow(e, jobId);
            }
            answer.put("status", JobStatus.CANCELLED.value());
            answer.put("error_code", "human_cancelled");
            answer.put("cancelled_at", row.completedAt());
            return answer;
        }
        try {
            service.resumeByHuman(
                    id,
                    human,
                    in.path("resolution").isString() ? in.get("resolution").asString() : null);
        } catch (NoLiveWorkflowException e) {
            throw JobsController.noLiveWorkflow(e, jobId);
        } catch (JobStateException e) {
            throw new ApiException(
                    HttpStatus.CONFLICT, Map.of("error", "not_paused", "message", "Job is no longer paused"));
        }
        answer.put("status", JobStatus.RUNNING.value());
        answer.put("resumed_at", Instant.now().toString());
        answer.put("resolved_by", human.resolvedBy());
        answer.put("resolution_type", human.resolutionType());
        return answer;
    }

    /** 409 {@code not_paused} unless the job waits for a human. */
    private static void requirePaused(JobRow job, String jobId) {
        String status = job.statusValue();
        if (!JobStatus.PAUSED.value().equals(status)) {
            throw new ApiException(
                    HttpStatus.CONFLICT,
                    Map.of(
                            "error",
                            "not_paused",
                            "message",
                            "Job is " + status + ", not paused",
                            "job_id",
                            jobId,
                            "current_status",
                            status));
        }
    }

    /** What the human did, as the workflow receives it (defaults: manual, by a human). */
    private static HumanAction humanAction(ObjectNode in, String action, JsonNode type, JsonNode data) {
        String resolutionType = type == null || type.isNull() ? "manual" : type.asString();
        String resolvedBy =
                in.path("resolved_by").isString() ? in.get("resolved_by").asString() : "human";
        String notes = in.path("notes").isString()
                ? in.get("notes").asString()
                : in.path("resolution_notes").isString()
                        ? in.get("resolution_notes").asString()
                        : null;
        Map<String, Object> resolutionData = new LinkedHashMap<>();
        if (data != null && data.isObject()) {
            for (Map.Entry<String, JsonNode> field : data.properties()) {
                resolutionData.put(field.getKey(), plain(field.getValue()));
            }
        }
        return new HumanAction(action, resolutionType, resolutionData, resolvedBy, notes);
    }

    /** A resume's body fields that must be valid: 422 naming each one that is not. */
    private static void checkResume(String action, JsonNode type, JsonNode data) {
        List<FieldError> errors = new ArrayList<>();
        if (!action.equals("resume") && !action.equals("cancel")) {
            errors.add(new FieldError("action", "must be resume or cancel", "invalid_enum"));
        }
        if (type != null && !type.isNull() && (!type.isString() || !RESOLUTION_TYPES.contains(type.asString()))) {
            errors.add(new FieldError(
                    "resolution_type", "must be one of code_entry, credentials, manual, skip", "invalid_enum"));
        }
        if (data != null && !data.isNull() && !data.isObject()) {
            errors.add(new FieldError("resolution_data", "must be a JSON object", "invalid_type"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    /**
     * A resolution value as the workflow carries it: text, or maps and lists of text (the answers to
     * a form's questions: {@code {"answers": {"question": "answer"}}}).
     */
    private static Object plain(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                m.put(e.getKey(), plain(e.getValue()));
            }
            return m;
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode e : v) {
                l.add(plain(e));
            }
            return l;
        }
        return v.isString() ? v.asString() : v.toString();
    }

    /**
     * Marks the workers matching {@code target_worker_id} offline and, with {@code cancel_active_jobs},
     * cancels their active jobs.
     */
    @PostMapping("/workers/deregister")
    @Operation(summary = "Mark workers offline, optionally cancelling their active jobs")
    Map<String, Object> deregister(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ApiSchemas.Deregister.class)))
                    @RequestBody(required = false)
                    String body) {
        ObjectNode in = JobInput.parseObject(body);
        List<FieldError> errors = new ArrayList<>();
        JsonNode target = in.get("target_worker_id");
        if (target == null
                || target.isNull()
                || !target.isString()
                || target.asString().isBlank()) {
            errors.add(new FieldError(
                    "target_worker_id",
                    "is required",
                    target == null || target.isNull() ? "required" : "invalid_type"));
        } else if (target.asString().length() > 100) {
            errors.add(new FieldError("target_worker_id", "must be at most 100 characters", "too_long"));
        }
        JsonNode cancelJobs = in.get("cancel_active_jobs");
        if (cancelJobs != null && !cancelJobs.isNull() && !cancelJobs.isBoolean()) {
            errors.add(new FieldError("cancel_active_jobs", "must be true or false", "invalid_type"));
        }
        JsonNode reason = in.get("reason");
        if (reason != null && !reason.isNull() && !reason.isString()) {
            errors.add(new FieldError("reason", "must be a string", "invalid_type"));
        }
        JsonNode drain = in.get("drain_timeout_seconds");
        if (drain != null
                && !drain.isNull()
                && (!drain.isIntegralNumber()
                        || !drain.canConvertToInt()
                        || drain.intValue() < 0
                        || drain.intValue() > 3600)) {
            errors.add(new FieldError("drain_timeout_seconds", "must be an integer from 0 to 3600", "out_of_range"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        String worker = target.asString();
        JobService.Deregistered done = service.deregister(worker, cancelJobs != null && cancelJobs.asBoolean());
        List<String> workers = done.workers();
        List<String> cancelled = done.cancelledJobs();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("deregistered_workers", workers);
        answer.put("cancelled_job_ids", cancelled);
        answer.put("reason", reason == null || reason.isNull() ? null : reason.asString());
        // the names VALET's client types the answer with
        answer.put("deregistered", workers);
        answer.put("cancelled_jobs", cancelled);
        return answer;
    }
}
