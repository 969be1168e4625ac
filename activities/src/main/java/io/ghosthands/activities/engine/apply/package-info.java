/**
 * The deterministic apply engine ({@code apply} and {@code fill_form} jobs).
 *
 * <p>{@link io.ghosthands.activities.engine.apply.ApplyEngine#create} picks the mode from the job
 * type. Per page: {@code FieldScanner} runs {@code field-scan.js} once (fields, labels, required
 * markers, buttons, errors, stamped for Playwright locators); {@code AnswerBook} answers each field
 * from the profile ({@code CandidateProfile}) and the caller's {@code qa_overrides}
 * ({@code QuestionMatcher}), never guessing; {@code FieldFiller} types, picks ({@code OptionChooser})
 * and uploads; {@code FormNavigator} finds Next / Submit / Apply and reads confirmations.
 */
package io.ghosthands.activities.engine.apply;
