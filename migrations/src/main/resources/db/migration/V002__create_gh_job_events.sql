-- Append-only log of what happened to a job. Ids are chosen by the writer (workflow-generated for
-- events written by activities) so that a retried or replayed write never adds a second row.
CREATE TABLE gh_job_events (
    id           uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    job_id       uuid         NOT NULL REFERENCES gh_automation_jobs (id) ON DELETE CASCADE,
    event_type   varchar(50)  NOT NULL,
    from_status  varchar(20),
    to_status    varchar(20),
    message      text,
    metadata     jsonb        NOT NULL DEFAULT '{}',
    actor        varchar(100) NOT NULL DEFAULT 'system',
    -- clock_timestamp, not now(): several events written in one transaction must keep their order
    created_at   timestamptz  NOT NULL DEFAULT clock_timestamp()
);

CREATE INDEX idx_gh_job_events_job_created ON gh_job_events (job_id, created_at);
CREATE INDEX idx_gh_job_events_job_type ON gh_job_events (job_id, event_type);
