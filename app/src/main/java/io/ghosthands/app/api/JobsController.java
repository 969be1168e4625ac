package io.ghosthands.app.api;

import io.ghosthands.app.jobs.JobRepository;
import io.ghosthands.app.jobs.JobService;
import io.ghosthands.app.jobs.NewJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
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

  @GetMapping("/{id}")
  Map<String, Object> get(@PathVariable String id) {
    return jobs.find(parseId(id)).orElseThrow(() -> ApiException.notFound("Job " + id));
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
