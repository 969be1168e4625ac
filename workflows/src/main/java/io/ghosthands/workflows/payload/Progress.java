package io.ghosthands.workflows.payload;

/**
 * How far a job got, for {@code needs_human.progress}.
 *
 * @param step a short machine word ({@code navigating}, {@code filling_form}, {@code submitting}…)
 * @param progressPct 0–100
 * @param actionsCompleted fields filled, pages advanced, clicks made
 */
public record Progress(String step, int progressPct, int actionsCompleted) {}
