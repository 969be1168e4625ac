-- One row per worker process that ever started; heartbeated while it runs, 'offline' when it exits.
CREATE TABLE gh_worker_registry (
    worker_id        text         PRIMARY KEY,
    target_worker_id text,
    status           text         NOT NULL DEFAULT 'active'
        CONSTRAINT gh_worker_registry_status_check CHECK (status IN ('active', 'draining', 'offline')),
    host             text,
    current_job_id   uuid         REFERENCES gh_automation_jobs (id) ON DELETE SET NULL,
    registered_at    timestamptz  NOT NULL DEFAULT now(),
    last_heartbeat   timestamptz  NOT NULL DEFAULT now(),
    jobs_completed   integer      NOT NULL DEFAULT 0,
    jobs_failed      integer      NOT NULL DEFAULT 0,
    metadata         jsonb        NOT NULL DEFAULT '{}'
);

CREATE INDEX idx_gh_worker_registry_status ON gh_worker_registry (status);
CREATE INDEX idx_gh_worker_registry_target ON gh_worker_registry (target_worker_id)
    WHERE target_worker_id IS NOT NULL;
