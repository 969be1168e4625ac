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
 * @param actionCount {@code action_count}, as the {@code completed} callback's cost says; null
 *     (histories from before it was carried): left as it is
 */
public record JobCompletion(
        String jobId,
        String eventId,
        Map<String, Object> resultData,
        String resultSummary,
        List<String> screenshotUrls,
        Integer actionCount) {

    public JobCompletion(
            String jobId,
            String eventId,
            Map<String, Object> resultData,
            String resultSummary,
            List<String> screenshotUrls) {
        this(jobId, eventId, resultData, resultSummary, screenshotUrls, null);
    }
}
