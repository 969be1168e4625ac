package io.ghosthands.workflows.payload;

import java.util.Map;

/**
 * The {@code resume} signal: what a human did about a paused job ({@code POST /valet/resume}).
 *
 * @param action {@code resume} or {@code cancel}
 * @param resolutionType {@code manual}, {@code code_entry}, {@code credentials} or {@code skip}
 * @param resolutionData e.g. {@code {code}} or {@code {username, password}}; secret, never stored in
 *     clear
 * @param resolvedBy who acted, for the events
 * @param notes free text
 */
public record HumanAction(
        String action, String resolutionType, Map<String, Object> resolutionData, String resolvedBy, String notes) {

    public boolean cancels() {
        return "cancel".equals(action);
    }

    /** Safe to log and store: everything but the resolution data's values. */
    @Override
    public String toString() {
        return "HumanAction[action=" + action + ", resolutionType=" + resolutionType + ", resolvedBy=" + resolvedBy
                + ", data=" + (resolutionData == null ? "none" : resolutionData.keySet()) + "]";
    }
}
