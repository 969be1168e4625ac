package io.ghosthands.app.api;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /health}: unauthenticated liveness with a database check, for load balancers. */
@RestController
class HealthController {

  private final JdbcTemplate jdbc;

  HealthController(DataSource dataSource) {
    this.jdbc = new JdbcTemplate(dataSource);
  }

  @GetMapping("/health")
  ResponseEntity<Map<String, Object>> health() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("service", "ghosthands");
    boolean db;
    try {
      db = Integer.valueOf(1).equals(jdbc.queryForObject("SELECT 1", Integer.class));
    } catch (RuntimeException e) {
      db = false;
    }
    body.put("status", db ? "ok" : "degraded");
    body.put("database", db ? "ok" : "unreachable");
    return ResponseEntity.status(db ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
  }
}
