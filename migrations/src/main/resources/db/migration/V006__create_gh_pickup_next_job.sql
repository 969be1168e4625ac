-- gh_pickup_next_job(p_worker_id): kept for consumers of the shared database that claim jobs by SQL.
-- GhostHands itself dispatches through Temporal task queues and never calls it.
-- Semantics (contract section 1, integration update 007):
--   candidates: status pending or queued, scheduled_at null or past,
--               target_worker_id null or equal to the caller;
--   order:      jobs targeted at the caller first, then priority ascending (1 = most urgent),
--               then oldest first;
--   locking:    FOR UPDATE SKIP LOCKED, so concurrent callers never claim the same row.
-- The claimed row becomes 'running' with worker_id, started_at and last_heartbeat set. (The earlier
-- implementation set 'queued', which left a claimed row claimable again once the lock was released.)
CREATE FUNCTION gh_pickup_next_job(p_worker_id text)
    RETURNS SETOF gh_automation_jobs
    LANGUAGE plpgsql AS
$$
DECLARE
    v_id uuid;
BEGIN
    SELECT j.id INTO v_id
      FROM gh_automation_jobs j
     WHERE j.status IN ('pending', 'queued')
       AND (j.scheduled_at IS NULL OR j.scheduled_at <= now())
       AND (j.target_worker_id IS NULL OR j.target_worker_id = p_worker_id)
     ORDER BY CASE WHEN j.target_worker_id = p_worker_id THEN 0 ELSE 1 END,
              j.priority ASC,
              j.created_at ASC
     LIMIT 1
       FOR UPDATE SKIP LOCKED;

    IF v_id IS NULL THEN
        RETURN;
    END IF;

    RETURN QUERY
    UPDATE gh_automation_jobs
       SET status = 'running',
           worker_id = p_worker_id,
           started_at = now(),
           last_heartbeat = now()
     WHERE id = v_id
    RETURNING *;
END;
$$;
