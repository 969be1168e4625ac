package io.ghosthands.app.live;

import io.ghosthands.activities.live.LiveLinks;
import io.ghosthands.activities.live.TextSocket;
import io.ghosthands.activities.store.Json;
import io.ghosthands.app.api.ApiException;
import io.ghosthands.workflows.JobStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The live view's HTTP routes: the live page itself ({@code GET /live/<job id>?mode=&exp=&sig=},
 * a signed link, no key), VALET's {@code GET /internal/browser-session} (service key) and
 * {@code GET /api/v1/gh/jobs/<id>/live} (a fresh link, e.g. to watch a running job).
 */
@ConditionalOnWebApplication
@RestController
class LiveController {

    private static final byte[] PAGE = load();

    private final LiveHub hub;
    private final LiveConfig config;

    LiveController(LiveHub hub, LiveConfig config) {
        this.hub = hub;
        this.config = config;
    }

    /** A link checked against the job as it stands: the job, or why not (status, error code, message). */
    record Check(Map<String, Object> job, HttpStatus status, String error, String message) {}

    static Check check(LiveHub hub, String jobId, String mode, String exp, String sig) {
        UUID id;
        try {
            id = UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            return new Check(null, HttpStatus.NOT_FOUND, "not_found", "no such job");
        }
        if (!"control".equals(mode) && !"watch".equals(mode)) {
            return new Check(null, HttpStatus.BAD_REQUEST, "invalid_link", "mode: must be control or watch");
        }
        Map<String, Object> job = hub.job(id).orElse(null);
        if (job == null) {
            return new Check(null, HttpStatus.NOT_FOUND, "not_found", "no such job");
        }
        boolean valid = hub.links.valid(job, mode, exp, sig);
        if (valid && "control".equals(mode) && !"paused".equals(job.get("status"))) {
            return new Check(
                    job,
                    HttpStatus.GONE,
                    "link_expired",
                    "The job is no longer waiting for a human (" + job.get("status") + "): this link has ended");
        }
        if (!valid) {
            String status = (String) job.get("status");
            boolean pauseOver = "control".equals(mode) && !"paused".equals(status);
            return new Check(
                    job,
                    pauseOver ? HttpStatus.GONE : HttpStatus.FORBIDDEN,
                    pauseOver ? "link_expired" : "invalid_link",
                    pauseOver
                            ? "The job is no longer waiting for a human (" + status + "): this link has ended"
                            : "sig: this link is not valid for this job, or it has expired");
        }
        if ("watch".equals(mode) && ended((String) job.get("status"))) {
            return new Check(job, HttpStatus.GONE, "link_expired", "The job has ended (" + job.get("status") + ")");
        }
        return new Check(job, HttpStatus.OK, null, null);
    }

    @GetMapping(value = "/live/{jobId}")
    ResponseEntity<?> page(
            @PathVariable String jobId,
            @RequestParam(required = false) String mode,
            @RequestParam(required = false) String exp,
            @RequestParam(required = false) String sig) {
        Check check = check(hub, jobId, mode, exp, sig);
        if (check.error() != null) {
            return ResponseEntity.status(check.status())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("error", check.error(), "message", check.message()));
        }
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore())
                .header(
                        "Content-Security-Policy",
                        "default-src 'none'; img-src data: blob:; style-src 'unsafe-inline';"
                                + " script-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .body(PAGE);
    }

    /**
     * VALET's check before it offers a live view: {@code {available, pausedForHuman, jobId, pageUrl,
     * pageTitle}} for the job named by {@code job_id}, else the one most recently paused.
     */
    @GetMapping(value = "/internal/browser-session", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> browserSession(
            @RequestHeader(value = WorkerRelays.KEY_HEADER, required = false) String key,
            @RequestParam(value = "job_id", required = false) String jobIdParam) {
        if (!config.keyMatches(key)) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                    .body(Map.of("error", "unauthorized", "message", "X-GH-Service-Key: the service key is required"));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("available", false);
        answer.put("pausedForHuman", false);
        answer.put("jobId", null);
        Optional<UUID> job = config.chosenJob(jobIdParam);
        if (job.isEmpty()) {
            if (jobIdParam != null && !jobIdParam.isBlank()) {
                return ResponseEntity.badRequest()
                        .body(Map.of("error", "invalid_job_id", "message", "job_id: not a UUID"));
            }
            return ResponseEntity.ok(answer);
        }
        Map<String, Object> row = hub.job(job.get()).orElse(null);
        if (row == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Map.of("error", "not_found", "message", "job_id: no such job"));
        }
        answer.put("jobId", job.get().toString());
        answer.put("pausedForHuman", "paused".equals(row.get("status")));
        CompletableFuture<Map<String, Object>> session = new CompletableFuture<>();
        try {
            TextSocket up = hub.relays
                    .connect(
                            job.get(),
                            true,
                            text -> {
                                if (text.startsWith("{\"method\":\"GhostHands.session\"")) {
                                    Object params = Json.readMap(text).get("params");
                                    session.complete(params instanceof Map<?, ?> p ? cast(p) : Map.of());
                                }
                            },
                            (code, reason) -> session.complete(null))
                    .get(5, TimeUnit.SECONDS);
            try {
                Map<String, Object> info = session.get(3, TimeUnit.SECONDS);
                if (info != null) {
                    answer.put("available", true);
                    answer.put(
                            "pausedForHuman",
                            Boolean.TRUE.equals(info.get("pausedForHuman")) && "paused".equals(row.get("status")));
                    answer.put("pageUrl", info.get("url"));
                    answer.put("pageTitle", info.get("title"));
                }
            } finally {
                up.close("viewer left");
            }
        } catch (Exception e) {
            LoggerFactory.getLogger(LiveController.class).info("job {}: no live page: {}", job.get(), e.toString());
            answer.put("available", false);
            answer.put("reason", "no worker can show the job's page");
        }
        return ResponseEntity.ok(answer);
    }

    /** Whether a job in {@code status} has finished (a missing job, null, counts as finished). */
    static boolean ended(String status) {
        return status == null || JobStatus.of(status).isTerminal();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /**
     * A live link for the job: {@code mode=control} (the default) while it waits for a human, or
     * {@code mode=watch} (view only) while it is not finished.
     */
    @GetMapping(value = "/api/v1/gh/jobs/{id}/live", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> link(
            @PathVariable String id, @RequestParam(defaultValue = "control") String mode) {
        UUID jobId;
        try {
            jobId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("Job " + id);
        }
        if (!mode.equals("control") && !mode.equals("watch")) {
            return ResponseEntity.badRequest()
                    .body(Map.of(
                            "error",
                            "validation_error",
                            "message",
                            "mode: must be control or watch",
                            "details",
                            List.of(Map.of("field", "mode", "message", "must be control or watch"))));
        }
        Map<String, Object> job = hub.job(jobId).orElse(null);
        if (job == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(Map.of("error", "not_found", "message", "Job " + id + " not found"));
        }
        String status = (String) job.get("status");
        Optional<LiveLinks.Link> link = mode.equals("control")
                ? hub.links.controlLink(job)
                : ended(status) ? Optional.empty() : hub.links.watchLink(jobId.toString());
        if (link.isEmpty()) {
            String why = !hub.links.enabled()
                    ? "Live links need GH_SERVICE_KEY to be signed"
                    : mode.equals("control")
                            ? "The job is " + status + ", not paused for a human"
                            : "The job has ended (" + status + ")";
            return ResponseEntity.status(HttpStatus.CONFLICT)
                    .body(Map.of(
                            "error",
                            hub.links.enabled() ? "not_available" : "no_service_key",
                            "message",
                            why,
                            "current_status",
                            status));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("job_id", jobId.toString());
        answer.put("mode", mode);
        answer.put("live_url", link.get().url());
        answer.put("expires_at", link.get().expires().toString());
        return ResponseEntity.ok(answer);
    }

    private static byte[] load() {
        try (InputStream in = LiveController.class.getResourceAsStream("/live/live.html")) {
            return in == null
                    ? "<!doctype html><title>GhostHands live view</title><p>live page missing from this build"
                            .getBytes(StandardCharsets.UTF_8)
                    : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
