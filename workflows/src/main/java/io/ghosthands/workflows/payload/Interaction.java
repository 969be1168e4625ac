package io.ghosthands.workflows.payload;

import java.util.List;

/**
 * Why a page needs a human, as {@code needs_human.interaction} and {@code interaction_data} tell it.
 * Holds nothing secret.
 *
 * @param reason {@code captcha}, {@code 2fa}, {@code login}, {@code bot_check}, {@code rate_limited},
 *     {@code verification} or {@code screening_question}
 * @param description for people
 * @param screenshotUrl a signed link to the page as it is
 * @param currentUrl the page's URL
 * @param confidence how sure the detector is, 0–1
 * @param signals what it saw
 * @param questions for {@code screening_question}: the required questions without an answer
 */
public record Interaction(
        String reason,
        String description,
        String screenshotUrl,
        String currentUrl,
        double confidence,
        List<String> signals,
        List<String> questions) {}
