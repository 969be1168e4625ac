package io.ghosthands.workflows.payload;

/**
 * Continues a session after a human acted on its page. Carries the human's resolution (a one-time
 * code, credentials): payloads are encrypted by the data converter, and this is never logged.
 *
 * @param step budget and hold time as for {@link StepRequest}
 * @param action what the human did
 */
public record ResumeStep(StepRequest step, HumanAction action) {}
