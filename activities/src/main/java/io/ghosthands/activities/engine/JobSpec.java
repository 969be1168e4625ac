package io.ghosthands.activities.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an engine knows about its job, read from {@code gh_automation_jobs} by the browser activity.
 *
 * @param jobId the job
 * @param jobType {@code apply}, {@code fill_form}, {@code scrape} or {@code custom}
 * @param targetUrl where the job starts (the page is already there when the engine is called)
 * @param taskDescription free text from the job
 * @param inputData the job's {@code input_data}: for apply {@code user_data} (the candidate profile,
 *     contract section 2 {@code profile}), {@code qa_overrides} (question to answer), optionally
 *     {@code resume_path}
 * @param resumeFile the résumé, already fetched to a local file, or null when the job has none
 */
public record JobSpec(
        String jobId,
        String jobType,
        String targetUrl,
        String taskDescription,
        Map<String, Object> inputData,
        Path resumeFile) {}
