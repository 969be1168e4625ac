package io.ghosthands.workflows.callback;

import io.ghosthands.workflows.payload.Progress;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code needs_human}: the job paused for a human; what blocks it and how far it got. */
public record NeedsHumanBody(PauseInteraction interaction, Progress progress) implements CallbackBody {

    @Override
    public String status() {
        return "needs_human";
    }

    @Override
    public void addTo(Map<String, Object> body) {
        body.put("interaction", interaction.toMap());
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("step", progress.step());
        p.put("progress_pct", progress.progressPct());
        p.put("actions_completed", progress.actionsCompleted());
        body.put("progress", p);
    }
}
