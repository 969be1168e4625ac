package io.ghosthands.workflows.callback;

import io.ghosthands.workflows.payload.Interaction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code interaction} of a {@code needs_human} callback (contract section 4). Rendered with the
 * names VALET's versions read: {@code type} beside {@code reason}, {@code message} beside {@code
 * description}, {@code page_url} beside {@code current_url}; {@code questions} only when the page
 * asks some; {@code metadata} with the detector's confidence.
 *
 * @param pausedAt ISO-8601
 * @param expiresAt ISO-8601, when the pause times out
 * @param round the how-many-th pause of this attempt, from 1
 */
public record PauseInteraction(
        String reason,
        String description,
        String screenshotUrl,
        String currentUrl,
        String pausedAt,
        String expiresAt,
        int timeoutSeconds,
        int round,
        List<String> questions,
        double blockerConfidence) {

    /** How the blocker was found: the engine reads the page's DOM. */
    public static final String DETECTION_METHOD = "dom";

    /** The interaction of a pause for what the page showed. */
    public static PauseInteraction of(
            Interaction why, String pausedAt, String expiresAt, int timeoutSeconds, int round) {
        return new PauseInteraction(
                why.reason(),
                why.description(),
                why.screenshotUrl(),
                why.currentUrl(),
                pausedAt,
                expiresAt,
                timeoutSeconds,
                round,
                why.questions(),
                why.confidence());
    }

    Map<String, Object> toMap() {
        Map<String, Object> interaction = new LinkedHashMap<>();
        interaction.put("type", reason);
        interaction.put("reason", reason);
        interaction.put("description", description);
        interaction.put("message", description);
        interaction.put("screenshot_url", screenshotUrl);
        interaction.put("current_url", currentUrl);
        interaction.put("page_url", currentUrl);
        interaction.put("paused_at", pausedAt);
        interaction.put("expires_at", expiresAt);
        interaction.put("timeout_seconds", timeoutSeconds);
        interaction.put("round", round);
        if (questions != null && !questions.isEmpty()) {
            interaction.put("questions", questions);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("blocker_confidence", blockerConfidence);
        metadata.put("detection_method", DETECTION_METHOD);
        interaction.put("metadata", metadata);
        return interaction;
    }
}
