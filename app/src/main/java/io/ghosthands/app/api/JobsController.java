package io.ghosthands.app.api;

import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.activities.store.JobReads;
import io.ghosthands.activities.store.JobRow;
import io.ghosthands.activities.store.NewJob;
import io.ghosthands.app.jobs.JobService;
import io.ghosthands.app.jobs.NoLiveWorkflowException;
import io.ghosthands.app.live.JobLinks;
import io.ghosthands.workflows.JobStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/gh/jobs}: create and read jobs (contract section 2). */
@RestController
@RequestMapping("/api/v1/gh/jobs")
@Tag(name = "Jobs")
@SecurityRequirement(name = "serviceKey")
class JobsController {

    private final JobService service;
    private final OutboundUrlPolicy policy;

    private final JobLinks links;

    JobsController(JobService service, OutboundUrlPolicy policy, JobLinks links) {
        this.links = links;
        this.policy = policy;
        this.service = service;
    }

    @PostMapping
    @Operation(
            summary = "Create a job",
            responses = {
                @ApiResponse(
                        responseCode = "201",
                        description = "created and dispatched",
                        content = @Content(schema = @Schema(implementation = ApiSchemas.CreatedJob.class))),
                @ApiResponse(
                        responseCode = "422",
                        description = "invalid fields",
                        content = @Content(schema = @Schema(implementation = ApiSchemas.ValidationError.class))),
                @ApiResponse(
                        responseCode = "409",
                        description = "duplicate_idempotency_key",
                        content = @Content(schema = @Schema(implementation = ApiSchemas.Error.class)))
            })
    ResponseEntity<Map<String, Object>> create(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ApiSchemas.CreateJob.class)))
                    @RequestBody(required = false)
                    String body) {
        NewJob job = JobInput.newJob(JobInput.parseObject(body), "api", policy);
        JobService.Created created = service.create(job);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", created.id().toString());
        answer.put("status", created.status());
        answer.put("created_at", created.createdAt());
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    @PostMapping("/batch")
    @Operation(
            summary = "Create 1-50 jobs, all or none",
            responses = {
                @ApiResponse(
                        responseCode = "201",
                        description = "created",
                        content = @Content(schema = @Schema(implementation = ApiSchemas.BatchCreated.class))),
                @ApiResponse(
                        responseCode = "422",
                        description = "invalid fields, named jobs[i].field",
                        content = @Content(schema = @Schema(implementation = ApiSchemas.ValidationError.class)))
            })
    ResponseEntity<Map<String, Object>> batch(
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            schema = @Schema(implementation = ApiSchemas.CreateBatch.class)))
                    @RequestBody(required = false)
                    String body) {
        List<NewJob> batch = JobInput.batch(JobInput.parseObject(body), "api", policy);
        List<JobService.Created> created = service.createBatch(batch);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("created", created.size());
        answer.put("job_ids", created.stream().map(c -> c.id().toString()).toList());
        answer.put(
                "jobs",
                created.stream()
                        .map(c -> Map.of("id", c.id().toString(), "status", c.status(), "created_at", c.createdAt()))
                        .toList());
        return ResponseEntity.status(HttpStatus.CREATED).body(answer);
    }

    /** Every status, in the contract's order (the enum's). */
    static final List<String> STATUSES =
            Arrays.stream(JobStatus.values()).map(JobStatus::value).toList();

    static final List<String> SORTABLE = List.of(
            "created_at", "updated_at", "started_at", "completed_at", "priority", "status", "job_type", "scheduled_at");

    @GetMapping
    @Operation(
            summary =
                    "List jobs: status (comma list), job_type, target_worker_id, worker_id, worker (target or runner), id_prefix, limit 1-100, offset, sort column:asc|desc or relevance",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "a page",
                            content = @Content(schema = @Schema(implementation = ApiSchemas.JobPage.class))))
    Map<String, Object> list(@RequestParam Map<String, String> params) {
        QueryInput in = new QueryInput(params);
        List<String> statuses = in.list("status", STATUSES);
        String jobType = in.string("job_type", 50);
        String target = in.string("target_worker_id", 100);
        String worker = in.string("worker_id", 100);
        String eitherWorker = in.string("worker", 100);
        String idPrefix = in.string("id_prefix", 36);
        if (idPrefix != null && !idPrefix.matches("[0-9a-fA-F-]+")) {
            in.error("id_prefix", "must be the start of a job id (hex digits and dashes)", "invalid_format");
            idPrefix = null;
        }
        int limit = in.integer("limit", 20, 1, 100);
        int offset = in.integer("offset", 0, 0, Integer.MAX_VALUE);
        String sort = in.string("sort", 40);
        String column = "created_at";
        boolean ascending = false;
        if (sort != null) {
            String[] parts = sort.split(":", 2);
            String direction = parts.length > 1 ? parts[1].toLowerCase(Locale.ROOT) : "desc";
            if (parts[0].equals("relevance")) {
                column = "relevance";
            } else if (!SORTABLE.contains(parts[0]) || !(direction.equals("asc") || direction.equals("desc"))) {
                in.error(
                        "sort",
                        "must be relevance, or <column>:asc|desc with column one of " + String.join(", ", SORTABLE),
                        "invalid_enum");
            } else {
                column = parts[0];
                ascending = direction.equals("asc");
            }
        }
        in.check();
        JobReads.Page page = service.list(new JobReads.JobFilter(
                statuses, jobType, target, worker, eitherWorker, idPrefix, limit, offset, column, ascending));
        return pageAnswer("jobs", page, limit, offset);
    }

    /** {@code {<items>: [...], total, limit, offset}}, the shape of every paged answer. */
    private static Map<String, Object> pageAnswer(String items, JobReads.Page page, int limit, int offset) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(items, page.rows());
        answer.put("total", page.total());
        answer.put("limit", limit);
        answer.put("offset", offset);
        return answer;
    }

    @GetMapping("/{id}")
    @Operation(summary = "A job, every column")
    Map<String, Object> get(@PathVariable String id) {
        // a paused job's interaction_data carries the link to its live page
        return links.withLiveUrl(service.find(parseId(id))
                .orElseThrow(() -> ApiException.notFound("Job " + id))
                .columns());
    }

    @GetMapping("/{id}/status")
    @Operation(summary = "A job's status and heartbeat")
    Map<String, Object> status(@PathVariable String id) {
        Map<String, Object> job = get(id);
        Map<String, Object> answer = new LinkedHashMap<>();
        for (String key : List.of(
                "id",
                "status",
                "status_message",
                "started_at",
                "last_heartbeat",
                "completed_at",
                "worker_id",
                "target_worker_id",
                "error_code",
                "retry_count")) {
            answer.put(key, job.get(key));
        }
        // an application that reached the site says so, whatever the status (result_data has it too)
        if (job.get("submitted_at") != null) {
            answer.put("submitted_at", job.get("submitted_at"));
            answer.put(
                    "submission_confirmed",
                    job.get("result_data") instanceof JsonNode data
                                    && data.path("submission_confirmed").isBoolean()
                            ? data.path("submission_confirmed").asBoolean()
                            : job.get("status").equals(JobStatus.COMPLETED.value()));
        }
        return answer;
    }

    @GetMapping("/{id}/events")
    @Operation(
            summary = "A job's event log, oldest first (limit 1-200, offset)",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            description = "a page",
                            content = @Content(schema = @Schema(implementation = ApiSchemas.EventPage.class))))
    Map<String, Object> events(@PathVariable String id, @RequestParam Map<String, String> params) {
        UUID jobId = parseId(id);
        QueryInput in = new QueryInput(params);
        int limit = in.integer("limit", 50, 1, 200);
        int offset = in.integer("offset", 0, 0, Integer.MAX_VALUE);
        in.check();
        if (service.find(jobId).isEmpty()) {
            throw ApiException.notFound("Job " + id);
        }
        return pageAnswer("events", service.events(jobId, limit, offset), limit, offset);
    }

    @PostMapping("/{id}/cancel")
    @Operation(
            summary = "Cancel a pending, queued, running or paused job",
            responses =
                    @ApiResponse(
                            responseCode = "409",
                            description = "job_not_cancellable, with current_status",
                            content = @Content(schema = @Schema(implementation = ApiSchemas.Error.class))))
    Map<String, Object> cancel(@PathVariable String id) {
        JobRow row;
        try {
            row = service.cancel(parseId(id), "api");
        } catch (NoLiveWorkflowException e) {
            throw noLiveWorkflow(e, id);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", row.id());
        answer.put("status", JobStatus.CANCELLED.value());
        answer.put("cancelled_at", row.completedAt());
        answer.put("completed_at", row.completedAt());
        return answer;
    }

    /**
     * The answer to a request the job's workflow must carry out while it is gone (409
     * {@code workflow_gone}) or Temporal cannot be reached (503 {@code temporal_unavailable}); the row
     * is unchanged.
     */
    static ApiException noLiveWorkflow(NoLiveWorkflowException e, String jobId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.gone() ? "workflow_gone" : "temporal_unavailable");
        body.put("message", e.getMessage());
        body.put("job_id", jobId);
        body.put("current_status", e.currentStatus());
        return new ApiException(e.gone() ? HttpStatus.CONFLICT : HttpStatus.SERVICE_UNAVAILABLE, body);
    }

    @PostMapping("/{id}/retry")
    @Operation(
            summary = "Run a failed, cancelled or expired job again under the same id",
            responses =
                    @ApiResponse(
                            responseCode = "409",
                            description = "job_not_retryable, with current_status",
                            content = @Content(schema = @Schema(implementation = ApiSchemas.Error.class))))
    Map<String, Object> retry(@PathVariable String id) {
        JobRow row = service.retry(parseId(id), "api");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", row.id());
        answer.put("status", row.statusValue());
        answer.put("retry_count", row.retryCount());
        return answer;
    }

    /** A job id from a path; anything that is not a UUID cannot name a job, so it is a 404. */
    static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Job " + id);
        }
    }
}
