/**
 * The deterministic apply engine ({@code apply} and {@code fill_form} jobs).
 *
 * <p>{@link io.ghosthands.activities.engine.apply.ApplyEngine#create} picks the mode from the job
 * type. {@code PageWalker} walks the listing and the form's pages, {@code PageFiller} fills one page
 * (with {@code RepeatedEntries} and {@code ResumeAttach}), {@code SubmitGuard} clicks the final
 * submit once and reads what follows, {@code ApplyOutcomes} says how it ended; they share one
 * {@code ApplyAttempt}. Per page: {@code FieldScanner} runs {@code field-scan.js} once (fields, labels, required
 * markers, buttons, errors, stamped for Playwright locators); {@code AnswerBook} answers each field
 * from the profile ({@code CandidateProfile}, by the rules of {@code ProfileRules}, {@code CareerRules}
 * and {@code PlaceRules}) and the caller's {@code qa_overrides} ({@code QuestionMatcher}), never
 * guessing; {@code FieldFiller} types, picks ({@code OptionChooser}, {@code OptionLists}) and uploads
 * ({@code FileInputs}); {@code FormNavigator} finds Next / Submit / Apply and reads confirmations.
 */
package io.ghosthands.activities.engine.apply;
