package io.ghosthands.app.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Saved browser sessions (a user's logins on a site, kept for the next job). GhostHands keeps none:
 * every job runs in a browser context of its own that is closed when the job ends, and no cookies or
 * storage outlive it. These routes say so in the shapes VALET reads, so its calls (a listing it falls
 * back to, and deletions after it deletes its own copy) get true, empty answers instead of 404s.
 *
 * <p>Both forms are served: VALET's query-string form ({@code /sessions?user_id=…[&domain=…|&all=true]})
 * and the integration document's path form ({@code /valet/sessions/{userId}[/{domain}]}).
 */
@RestController
@Tag(name = "Sessions")
class SessionsController {

    private static final int MAX = 255;

    @GetMapping("/api/v1/gh/sessions")
    @Operation(summary = "A user's saved browser sessions: always none (no job's browser state outlives it)")
    Map<String, Object> list(@RequestParam Map<String, String> params) {
        QueryInput in = new QueryInput(params);
        String userId = required(in, "user_id");
        in.check();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", userId);
        body.put("sessions", List.of());
        body.put("total", 0);
        return body;
    }

    @DeleteMapping("/api/v1/gh/sessions")
    @Operation(summary = "Delete a user's saved session for a domain (domain=…) or all of them (all=true): none exist")
    Map<String, Object> delete(@RequestParam Map<String, String> params) {
        QueryInput in = new QueryInput(params);
        String userId = required(in, "user_id");
        String domain = in.string("domain", MAX);
        String all = in.string("all", 5);
        boolean everything = "true".equalsIgnoreCase(all);
        if (all != null && !everything && !"false".equalsIgnoreCase(all)) {
            in.error("all", "must be true or false", "invalid_type");
        } else if (domain == null && !everything) {
            in.error("domain", "name a domain, or pass all=true", "required");
        }
        in.check();
        Map<String, Object> body = new LinkedHashMap<>();
        if (everything) {
            body.put("deleted_count", 0);
            body.put("user_id", userId);
        } else {
            body.put("deleted", false);
            body.put("session_id", null);
            body.put("user_id", userId);
            body.put("domain", domain);
        }
        return body;
    }

    @GetMapping("/api/v1/gh/valet/sessions/{userId}")
    @Operation(summary = "A user's saved browser sessions, path form: always none")
    Map<String, Object> listByPath(@PathVariable String userId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", checkedPathValue("user_id", userId));
        body.put("sessions", List.of());
        body.put("count", 0);
        return body;
    }

    @DeleteMapping("/api/v1/gh/valet/sessions/{userId}/{domain}")
    @Operation(summary = "Delete a user's saved session for a domain, path form: none exist")
    Map<String, Object> deleteOneByPath(@PathVariable String userId, @PathVariable String domain) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", checkedPathValue("user_id", userId));
        body.put("domain", checkedPathValue("domain", domain));
        body.put("deleted", false);
        return body;
    }

    @DeleteMapping("/api/v1/gh/valet/sessions/{userId}")
    @Operation(summary = "Delete all of a user's saved sessions, path form: none exist")
    Map<String, Object> deleteAllByPath(@PathVariable String userId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user_id", checkedPathValue("user_id", userId));
        body.put("deleted_count", 0);
        return body;
    }

    private static String required(QueryInput in, String name) {
        String value = in.string(name, MAX);
        if (value == null) {
            in.error(name, "is required", "required");
        }
        return value;
    }

    private static String checkedPathValue(String name, String value) {
        QueryInput in = new QueryInput(Map.of(name, value));
        String checked = required(in, name);
        in.check();
        return checked;
    }
}
