package io.ghosthands.workflows.payload;

import java.util.List;
import java.util.Map;

/**
 * The mirror write for a successful job.
 *
 * @param jobId the job
 * @param eventId id of the {@code job_completed} event
 * @param resultData {@code result_data}
 * @param resultSummary one line for people
 * @param screenshotUrls appended to {@code screenshot_urls}
 */
public record JobCompletion(
    String jobId,
    String eventId,
    Map<String, Object> resultData,
    String resultSummary,
    List<String> screenshotUrls) {}
