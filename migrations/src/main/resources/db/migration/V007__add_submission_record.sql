-- Never submit an application twice: the workflow records that it is about to click the final
-- submit (submitted_at) before the click, and the browser step records the confirmation it saw
-- (submission_result: result_data, result_summary, screenshot_urls) before it reports back. A later
-- attempt of the same job, automatic or a manual retry, reads these instead of submitting again.
ALTER TABLE gh_automation_jobs
    ADD COLUMN submitted_at      timestamptz,
    ADD COLUMN submission_result jsonb;
