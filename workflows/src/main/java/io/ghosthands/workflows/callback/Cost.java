package io.ghosthands.workflows.callback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job's {@code cost} object: always present on {@code completed} and {@code failed}, all three
 * keys (GhostHands uses no paid model, so the money and tokens are zero).
 */
public record Cost(double totalCostUsd, int actionCount, int totalTokens) {

    /** The cost of a job that made {@code actions} browser actions. */
    public static Cost ofActions(int actions) {
        return new Cost(0.0, actions, 0);
    }

    Map<String, Object> toMap() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("total_cost_usd", totalCostUsd);
        c.put("action_count", actionCount);
        c.put("total_tokens", totalTokens);
        return c;
    }
}
