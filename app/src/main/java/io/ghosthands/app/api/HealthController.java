package io.ghosthands.app.api;

import io.ghosthands.activities.store.MonitoringQueries;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /health}: unauthenticated liveness with a database check, for load balancers. */
@RestController
class HealthController {

    private final MonitoringQueries store;

    HealthController(MonitoringQueries store) {
        this.store = store;
    }

    @GetMapping("/health")
    ResponseEntity<Map<String, Object>> health() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", "ghosthands");
        boolean db = true;
        try {
            store.ping();
        } catch (RuntimeException e) {
            db = false;
        }
        body.put("status", db ? "ok" : "degraded");
        body.put("database", db ? "ok" : "unreachable");
        return ResponseEntity.status(db ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(body);
    }
}
