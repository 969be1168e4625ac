package io.ghosthands.workflows.callback;

import java.util.Map;

/**
 * {@code cancelled}: {@code error_code} only when a code says who cancelled ({@code
 * human_cancelled}); {@code result_data} only when there is some; no cost.
 */
public record CancelledBody(String completedAt, String errorCode, Map<String, Object> resultData, String errorMessage)
        implements CallbackBody {

    @Override
    public String status() {
        return "cancelled";
    }

    @Override
    public void addTo(Map<String, Object> body) {
        body.put("completed_at", completedAt);
        if (errorCode != null) {
            body.put("error_code", errorCode);
        }
        if (resultData != null) {
            body.put("result_data", resultData);
        }
        body.put("error_message", errorMessage);
    }
}
