-- One application per VALET task. A new job for a valet_task_id is refused while an earlier job of
-- that task holds it: one that is pending, queued, running, paused or completed, or any job of the
-- task that recorded a submission (submitted_at, written with its submit_started event before the
-- final click), whatever its status. A failed, cancelled or expired job without a submission does
-- not hold the task, so VALET may try again.
CREATE FUNCTION gh_valet_task_holder(p_valet_task_id text)
RETURNS TABLE (id uuid, status varchar(20))
LANGUAGE sql STABLE AS $$
    SELECT j.id, j.status
    FROM gh_automation_jobs j
    WHERE j.valet_task_id = p_valet_task_id
      AND (j.status IN ('pending', 'queued', 'running', 'paused', 'completed')
           OR j.submitted_at IS NOT NULL
           OR EXISTS (SELECT 1 FROM gh_job_events e
                      WHERE e.job_id = j.id AND e.event_type = 'submit_started'))
    -- the job that holds it now first, then the newest
    ORDER BY (j.status IN ('pending', 'queued', 'running', 'paused', 'completed')) DESC, j.created_at DESC
    LIMIT 1
$$;

-- Serialises the writers of new jobs for these VALET tasks until the caller's transaction ends
-- (transaction-scoped advisory locks, taken in one order so two writers cannot deadlock). A writer
-- takes them in a statement of its own before the one that checks gh_valet_task_holder and inserts:
-- that statement's snapshot then sees every job a competing writer committed.
CREATE FUNCTION gh_lock_valet_tasks(p_valet_task_ids text[])
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(1195923028, h) -- 1195923028: 'GHVT', this lock's own key space
    FROM (SELECT DISTINCT hashtext(t) AS h FROM unnest(p_valet_task_ids) AS t WHERE t IS NOT NULL ORDER BY 1) s;
END
$$;
