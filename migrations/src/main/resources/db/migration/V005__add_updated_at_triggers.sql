-- updated_at follows every UPDATE, whoever writes the row.
CREATE FUNCTION gh_set_updated_at() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER trg_gh_automation_jobs_updated_at
    BEFORE UPDATE ON gh_automation_jobs
    FOR EACH ROW EXECUTE FUNCTION gh_set_updated_at();
