package io.ghosthands.app.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/gh/models}: the catalogue VALET's UI shows and lets users pick from (its
 * {@code model} and {@code image_model} fields). GhostHands fills forms with a deterministic engine
 * and calls no language model, so the catalogue says exactly that: one entry, costing nothing. A
 * {@code model} VALET sends with a job is accepted and kept with the job, and changes nothing.
 */
@RestController
class ModelsController {

    static final String ROUTE = "/api/v1/gh/models";

    static final String DETERMINISTIC = "deterministic";

    @GetMapping(ROUTE)
    Map<String, Object> models() {
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("input", 0);
        cost.put("output", 0);
        cost.put("unit", "$/M tokens");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("alias", DETERMINISTIC);
        model.put("model", "ghosthands-deterministic-engine");
        model.put("provider", "ghosthands");
        model.put("provider_name", "GhostHands");
        model.put("vision", false);
        model.put("cost", cost);
        model.put("note", "Rule-based field scanning, matching and filling in Chromium; no language model is called");
        Map<String, Object> preset = new LinkedHashMap<>();
        preset.put("name", "default");
        preset.put("description", "Deterministic engine (the only one)");
        preset.put("model", DETERMINISTIC);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("models", List.of(model));
        body.put("presets", List.of(preset));
        body.put("default", DETERMINISTIC);
        body.put("total", 1);
        return body;
    }
}
