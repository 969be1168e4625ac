package io.ghosthands.workflows.payload;

/**
 * What the browser saw on a page.
 *
 * @param title the document title
 * @param finalUrl the URL after redirects
 * @param httpStatus the main document's HTTP status, 0 when there was no HTTP response
 * @param screenshotUrl where the API serves the screenshot taken
 */
public record PageVisit(String title, String finalUrl, int httpStatus, String screenshotUrl) {}
