-- One row per job: the mirror of the job's Temporal workflow that VALET, listings and the CLI read.
CREATE TABLE gh_automation_jobs (
    id                uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    idempotency_key   varchar(255) UNIQUE,
    user_id           uuid,
    created_by        varchar(100) NOT NULL DEFAULT 'valet',
    job_type          varchar(50)  NOT NULL,
    target_url        text         NOT NULL,
    task_description  text         NOT NULL DEFAULT '',
    input_data        jsonb        NOT NULL DEFAULT '{}',
    priority          integer      NOT NULL DEFAULT 5 CONSTRAINT gh_jobs_priority_check CHECK (priority BETWEEN 1 AND 10),
    scheduled_at      timestamptz,
    max_retries       integer      NOT NULL DEFAULT 3 CONSTRAINT gh_jobs_max_retries_check CHECK (max_retries BETWEEN 0 AND 10),
    retry_count       integer      NOT NULL DEFAULT 0,
    timeout_seconds   integer      NOT NULL DEFAULT 300,
    status            varchar(20)  NOT NULL DEFAULT 'pending'
        CONSTRAINT gh_jobs_status_check CHECK (status IN
            ('pending', 'queued', 'running', 'paused', 'completed', 'failed', 'cancelled', 'expired')),
    status_message    text,
    started_at        timestamptz,
    completed_at      timestamptz,
    last_heartbeat    timestamptz,
    worker_id         varchar(100),
    result_data       jsonb,
    result_summary    text,
    error_code        varchar(50),
    error_details     jsonb,
    screenshot_urls   jsonb        NOT NULL DEFAULT '[]',
    artifact_urls     jsonb        NOT NULL DEFAULT '[]',
    metadata          jsonb        NOT NULL DEFAULT '{}',
    tags              jsonb        NOT NULL DEFAULT '[]',
    created_at        timestamptz  NOT NULL DEFAULT now(),
    updated_at        timestamptz  NOT NULL DEFAULT now(),
    callback_url      text,
    valet_task_id     text,
    resume_ref        jsonb,
    target_worker_id  text         DEFAULT NULL,
    worker_affinity   text         NOT NULL DEFAULT 'preferred'
        CONSTRAINT gh_jobs_worker_affinity_check CHECK (worker_affinity IN ('strict', 'preferred', 'any')),
    interaction_type  text,
    interaction_data  jsonb,
    paused_at         timestamptz,
    execution_mode    text         NOT NULL DEFAULT 'auto',
    -- Temporal identity of the run that owns this job (workflow id is gh-job-<id>)
    workflow_id       text,
    run_id            text
);

-- From integration update 007: route a job to one worker.
CREATE INDEX idx_gh_jobs_target_worker ON gh_automation_jobs (target_worker_id)
    WHERE target_worker_id IS NOT NULL;

-- Listing by status, newest first, and the pickup order of gh_pickup_next_job.
CREATE INDEX idx_gh_jobs_status_created ON gh_automation_jobs (status, created_at DESC);
CREATE INDEX idx_gh_jobs_created ON gh_automation_jobs (created_at DESC);
CREATE INDEX idx_gh_jobs_pickup ON gh_automation_jobs (priority, created_at)
    WHERE status IN ('pending', 'queued');
CREATE INDEX idx_gh_jobs_worker ON gh_automation_jobs (worker_id, status) WHERE worker_id IS NOT NULL;
CREATE INDEX idx_gh_jobs_user_status ON gh_automation_jobs (user_id, status, created_at DESC);
CREATE INDEX idx_gh_jobs_valet_task_id ON gh_automation_jobs (valet_task_id) WHERE valet_task_id IS NOT NULL;
CREATE INDEX idx_gh_jobs_heartbeat ON gh_automation_jobs (last_heartbeat) WHERE status = 'running';
CREATE INDEX idx_gh_jobs_paused ON gh_automation_jobs (status) WHERE status = 'paused';
