package io.ghosthands.workflows.callback;

import java.util.Map;

/** {@code running}: a worker claimed the job; {@code retry_count} automatic retries came before. */
public record RunningBody(int retryCount) implements CallbackBody {

    @Override
    public String status() {
        return "running";
    }

    @Override
    public void addTo(Map<String, Object> body) {
        body.put("retry_count", retryCount);
    }
}
