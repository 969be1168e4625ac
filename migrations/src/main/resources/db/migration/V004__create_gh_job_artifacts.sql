-- Screenshots and other files a job produced. Kept in the database so that any API node can serve
-- them without shared disk or object storage.
CREATE TABLE gh_job_artifacts (
    id            uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    job_id        uuid         NOT NULL REFERENCES gh_automation_jobs (id) ON DELETE CASCADE,
    kind          varchar(30)  NOT NULL,
    name          text         NOT NULL,
    content_type  varchar(100) NOT NULL,
    size_bytes    integer      NOT NULL,
    content       bytea        NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX idx_gh_job_artifacts_job ON gh_job_artifacts (job_id, created_at);
