package io.ghosthands.workflows.callback;

import java.util.Map;

/**
 * {@code failed}: {@code error_code} always written; {@code result_data} (what the job did before it
 * failed, and whether its application reached the site) only when there is some.
 */
public record FailedBody(
        String completedAt, String errorCode, Map<String, Object> resultData, String errorMessage, Cost cost)
        implements CallbackBody {

    @Override
    public String status() {
        return "failed";
    }

    @Override
    public void addTo(Map<String, Object> body) {
        body.put("completed_at", completedAt);
        body.put("error_code", errorCode);
        if (resultData != null) {
            body.put("result_data", resultData);
        }
        body.put("error_message", errorMessage);
        body.put("cost", cost.toMap());
    }
}
