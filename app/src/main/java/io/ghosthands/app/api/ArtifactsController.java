package io.ghosthands.app.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/gh/artifacts/{id}}: a screenshot or other file a job produced. */
@RestController
class ArtifactsController {

  private final JdbcTemplate jdbc;

  ArtifactsController(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  @GetMapping("/api/v1/gh/artifacts/{id}")
  ResponseEntity<byte[]> get(@PathVariable String id) {
    UUID artifactId;
    try {
      artifactId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound("Artifact " + id);
    }
    List<Map<String, Object>> rows =
        jdbc.queryForList(
            "SELECT content_type, name, content FROM gh_job_artifacts WHERE id = ?", artifactId);
    if (rows.isEmpty()) {
      throw ApiException.notFound("Artifact " + id);
    }
    Map<String, Object> row = rows.get(0);
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType((String) row.get("content_type")))
        .cacheControl(CacheControl.noCache().cachePrivate())
        .header("Content-Disposition", "inline; filename=\"" + row.get("name") + "\"")
        .body((byte[]) row.get("content"));
  }
}
