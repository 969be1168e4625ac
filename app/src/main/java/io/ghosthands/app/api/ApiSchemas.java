package io.ghosthands.app.api;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Configuration;

/**
 * Shapes of the request and response bodies, for the OpenAPI document only. The controllers read
 * bodies themselves (to name every bad field in one 422), so these records describe the wire format
 * and are never deserialised; their component names are the JSON field names on purpose.
 */
@Configuration
@OpenAPIDefinition(
        info =
                @Info(
                        title = "GhostHands API",
                        version = "v1",
                        description = "Browser-automation jobs (job applications first) run as Temporal workflows. "
                                + "Routes under /api/v1/gh need the X-GH-Service-Key header."))
@SecurityScheme(
        name = "serviceKey",
        type = SecuritySchemeType.APIKEY,
        in = SecuritySchemeIn.HEADER,
        paramName = "X-GH-Service-Key")
@SuppressWarnings("checkstyle:RecordComponentName")
class ApiSchemas {

    @Schema(name = "CreateJob", description = "A job to create")
    record CreateJob(
            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"apply", "scrape", "fill_form", "custom"})
            String job_type,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    maxLength = 2048,
                    example = "https://boards.greenhouse.io/acme/jobs/1")
            String target_url,

            @Schema(maxLength = 1000) String task_description,

            @Schema(description = "user_data, qa_overrides, resume_path…")
            Map<String, Object> input_data,

            @Schema(minimum = "1", maximum = "10", defaultValue = "5", description = "1 = most urgent")
            Integer priority,

            @Schema(format = "date-time", description = "not started before this instant")
            String scheduled_at,

            @Schema(minimum = "0", maximum = "10", defaultValue = "3")
            Integer max_retries,

            @Schema(minimum = "30", maximum = "1800", defaultValue = "300")
            Integer timeout_seconds,

            @Schema(maxLength = 50) List<String> tags,
            @Schema(maxLength = 255) String idempotency_key,
            Map<String, Object> metadata,
            @Schema(format = "uri") String callback_url,
            @Schema(format = "uuid") String user_id,

            @Schema(
                    maxLength = 100,
                    nullable = true,
                    description = "only the worker started with --worker-id=<this> runs the job; null = any")
            String target_worker_id,

            @Schema(
                    allowableValues = {"strict", "preferred", "any"},
                    defaultValue = "preferred")
            String worker_affinity) {}

    @Schema(name = "CreateBatch")
    record CreateBatch(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "1 to 50 jobs, created all or none")
            List<CreateJob> jobs,

            @Schema(description = "fields applied to every job that does not set them")
            CreateJob defaults) {}

    @Schema(name = "CreatedJob")
    record CreatedJob(
            String id,
            String status,
            @Schema(format = "date-time") String created_at) {}

    @Schema(name = "BatchCreated")
    record BatchCreated(int created, List<String> job_ids) {}

    @Schema(name = "JobPage")
    record JobPage(List<Map<String, Object>> jobs, long total, int limit, int offset) {}

    @Schema(name = "EventPage")
    record EventPage(List<Map<String, Object>> events, long total, int limit, int offset) {}

    @Schema(name = "ValetApply")
    record ValetApply(
            String valet_task_id,
            String valet_user_id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String target_url,

            @Schema(example = "greenhouse", description = "any value; unknown is accepted")
            String platform,

            @Schema(description = "{storage_path | s3_key | download_url}")
            Map<String, Object> resume,

            @Schema(
                    description =
                            "first_name, last_name, email, phone, linkedin_url, portfolio_url, location{}, "
                                    + "work_authorization, salary_expectation, years_of_experience, education[], work_history[], skills[]")
            Map<String, Object> profile,

            Map<String, String> qa_answers,
            String callback_url,

            @Schema(allowableValues = {"speed", "balanced", "quality"})
            String quality,

            Integer priority,
            Integer timeout_seconds,
            Integer max_retries,
            String idempotency_key,
            Map<String, Object> metadata,
            String target_worker_id,
            String worker_affinity,
            String model,
            String image_model,
            String execution_mode) {}

    @Schema(name = "ValetTask")
    record ValetTask(
            String valet_task_id,
            String valet_user_id,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String job_type,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String target_url,

            String task_description,
            Map<String, Object> input_data,
            String callback_url,
            Integer priority,
            Integer timeout_seconds,
            Integer max_retries,
            String idempotency_key,
            Map<String, Object> metadata,
            String target_worker_id,
            String worker_affinity,
            String model,
            String image_model) {}

    @Schema(name = "ValetSubmitted")
    record ValetSubmitted(
            String job_id,
            String valet_task_id,
            String status,
            String created_at,

            @Schema(description = "true on a 409 for a repeated idempotency_key")
            Boolean duplicate) {}

    @Schema(name = "Resume", description = "all optional; an empty body resumes")
    record Resume(
            @Schema(
                    allowableValues = {"resume", "cancel"},
                    defaultValue = "resume")
            String action,

            String resolution,
            String notes,
            String resolution_notes,
            String resolved_by,

            @Schema(allowableValues = {"manual", "code_entry", "credentials", "skip"})
            String resolution_type,

            @Schema(description = "e.g. {code} or {username, password}; never stored in clear")
            Map<String, Object> resolution_data) {}

    @Schema(name = "Deregister")
    record Deregister(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED)
            String target_worker_id,

            String reason,
            Boolean cancel_active_jobs,
            Integer drain_timeout_seconds) {}

    @Schema(name = "Error")
    record Error(String error, String message) {}

    @Schema(name = "ValidationError")
    record ValidationError(
            @Schema(example = "validation_error") String error, String message, List<FieldError> details) {}
}
