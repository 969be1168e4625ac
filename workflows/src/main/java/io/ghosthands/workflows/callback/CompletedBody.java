package io.ghosthands.workflows.callback;

import java.util.Map;

/**
 * {@code completed}: every key always written, {@code screenshot_url} (the last screenshot) null
 * when there is none.
 */
public record CompletedBody(
        String completedAt, Map<String, Object> resultData, String resultSummary, String screenshotUrl, Cost cost)
        implements CallbackBody {

    @Override
    public String status() {
        return "completed";
    }

    @Override
    public void addTo(Map<String, Object> body) {
        body.put("completed_at", completedAt);
        body.put("result_data", resultData);
        body.put("result_summary", resultSummary);
        body.put("screenshot_url", screenshotUrl);
        body.put("cost", cost.toMap());
    }
}
