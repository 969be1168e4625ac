package io.ghosthands.app.api;

import io.ghosthands.app.jobs.JobRepository;
import io.ghosthands.app.jobs.JobService;
import io.ghosthands.app.jobs.NewJob;
import io.ghosthands.app.jobs.JobRepository;
import java.util.LinkedHashMap;
import java.util.List;
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

/** {@code /api/v1/gh/jobs}: create and read jobs (contract section 2). */
@RestController
@RequestMapping("/api/v1/gh/jobs")
class JobsController {

  private final JobService service;
  private final JobRepository jobs;

  JobsController(JobService service, JobRepository jobs) {
    this.service = service;
    this.jobs = jobs;
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) String body) {
    NewJob job = JobInput.newJob(JobInput.parseObject(body), "api");
    JobService.Created created = service.create(job);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", created.id().toString());
    answer.put("status", created.status());
    answer.put("created_at", created.createdAt());
    return ResponseEntity.status(HttpStatus.CREATED).body(answer);
  }

  @PostMapping("/batch")
  ResponseEntity<Map<String, Object>> batch(@RequestBody(required = false) String body) {
    List<NewJob> batch = JobInput.batch(JobInput.parseObject(body), "api");
    List<JobService.Created> created = service.createBatch(batch);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("created", created.size());
    answer.put("job_ids", created.stream().map(c -> c.id().toString()).toList());
    answer.put("jobs", created.stream().map(c -> Map.of("id", c.id().toString(), "status", c.status(),
        "created_at", c.createdAt())).toList());
    return ResponseEntity.status(HttpStatus.CREATED).body(answer);
  }

  static final List<String> STATUSES =
      List.of("pending", "queued", "running", "paused", "completed", "failed", "cancelled", "expired");

  static final List<String> SORTABLE =
      List.of("created_at", "updated_at", "started_at", "completed_at", "priority", "status", "job_type",
          "scheduled_at");

  @GetMapping
  Map<String, Object> list(@RequestParam Map<String, String> params) {
    QueryInput in = new QueryInput(params);
    List<String> statuses = in.list("status", STATUSES);
    String jobType = in.string("job_type", 50);
    String target = in.string("target_worker_id", 100);
    String worker = in.string("worker_id", 100);
    int limit = in.integer("limit", 20, 1, 100);
    int offset = in.integer("offset", 0, 0, Integer.MAX_VALUE);
    String sort = in.string("sort", 40);
    String column = "created_at";
    boolean ascending = false;
    if (sort != null) {
      String[] parts = sort.split(":", 2);
      String direction = parts.length > 1 ? parts[1].toLowerCase(java.util.Locale.ROOT) : "desc";
      if (!SORTABLE.contains(parts[0]) || !(direction.equals("asc") || direction.equals("desc"))) {
        in.error("sort", "must be <column>:asc|desc with column one of " + String.join(", ", SORTABLE), "invalid_enum");
      } else {
        column = parts[0];
        ascending = direction.equals("asc");
      }
    }
    in.check();
    JobRepository.Page page =
        jobs.list(new JobRepository.JobFilter(statuses, jobType, target, worker, limit, offset, column, ascending));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("jobs", page.rows());
    answer.put("total", page.total());
    answer.put("limit", limit);
    answer.put("offset", offset);
    return answer;
  }

  @GetMapping("/{id}")
  Map<String, Object> get(@PathVariable String id) {
    return jobs.find(parseId(id)).orElseThrow(() -> ApiException.notFound("Job " + id));
  }

  @GetMapping("/{id}/status")
  Map<String, Object> status(@PathVariable String id) {
    Map<String, Object> job = get(id);
    Map<String, Object> answer = new LinkedHashMap<>();
    for (String key : List.of("id", "status", "status_message", "started_at", "last_heartbeat", "completed_at",
        "worker_id", "target_worker_id", "error_code", "retry_count")) {
      answer.put(key, job.get(key));
    }
    return answer;
  }

  @GetMapping("/{id}/events")
  Map<String, Object> events(@PathVariable String id, @RequestParam Map<String, String> params) {
    UUID jobId = parseId(id);
    QueryInput in = new QueryInput(params);
    int limit = in.integer("limit", 50, 1, 200);
    int offset = in.integer("offset", 0, 0, Integer.MAX_VALUE);
    in.check();
    if (jobs.find(jobId).isEmpty()) {
      throw ApiException.notFound("Job " + id);
    }
    JobRepository.Page page = jobs.events(jobId, limit, offset);
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("events", page.rows());
    answer.put("total", page.total());
    answer.put("limit", limit);
    answer.put("offset", offset);
    return answer;
  }

  @PostMapping("/{id}/cancel")
  Map<String, Object> cancel(@PathVariable String id) {
    Map<String, Object> row = service.cancel(parseId(id), "api");
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", row.get("id"));
    answer.put("status", "cancelled");
    answer.put("cancelled_at", row.get("completed_at"));
    answer.put("completed_at", row.get("completed_at"));
    return answer;
  }

  @PostMapping("/{id}/retry")
  Map<String, Object> retry(@PathVariable String id) {
    Map<String, Object> row = service.retry(parseId(id), "api");
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("id", row.get("id"));
    answer.put("status", row.get("status"));
    answer.put("retry_count", row.get("retry_count"));
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
