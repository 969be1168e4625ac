-- What a job's cost reports (callbacks' and GET /valet/status's cost.action_count): the fields
-- filled, pages advanced and clicks made by the attempt that ended the job. Written with the job's
-- end, from the same number the completed/failed callback carries. GhostHands calls no language
-- model, so cost in money and tokens is always 0 and needs no column.
ALTER TABLE gh_automation_jobs
    ADD COLUMN action_count integer NOT NULL DEFAULT 0;
