-- Callbacks the API owes that no job workflow will send: the 'cancelled' callback of a job cancelled
-- before a worker claimed it (pending: its workflow not started yet; queued: its workflow is ended
-- unclaimed). A row is written in the transaction that cancels the job, so the callback cannot be
-- lost between the cancel and Temporal; the API then starts a callback workflow for it (id
-- gh-callback-<event_id>: the same signed, retried delivery as every other callback) and sets
-- relayed_at. Rows not relayed (the API stopped, Temporal was down) are relayed by the API's sweep.
CREATE TABLE gh_callback_outbox (
    event_id     uuid         PRIMARY KEY,
    job_id       uuid         NOT NULL REFERENCES gh_automation_jobs (id) ON DELETE CASCADE,
    callback_url text         NOT NULL,
    body         jsonb        NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now(),
    relayed_at   timestamptz
);

CREATE INDEX idx_gh_callback_outbox_unrelayed ON gh_callback_outbox (created_at) WHERE relayed_at IS NULL;
CREATE INDEX idx_gh_callback_outbox_job ON gh_callback_outbox (job_id);
