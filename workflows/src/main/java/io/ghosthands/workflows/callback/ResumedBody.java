package io.ghosthands.workflows.callback;

import java.util.Map;

/** {@code resumed}: the job continues after a human's action (always sent; VALET waits for it). */
public record ResumedBody(String resumedAt, String resolutionType) implements CallbackBody {

    @Override
    public String status() {
        return "resumed";
    }

    @Override
    public void addTo(Map<String, Object> body) {
        body.put("resumed_at", resumedAt);
        body.put("resolution_type", resolutionType);
    }
}
