-- Where a worker runs, as VALET reads it (GET /monitoring/workers, and its own routing by
-- gh_worker_registry.ec2_ip): given to the worker by its configuration (GH_EC2_INSTANCE_ID,
-- GH_EC2_IP), null when not set. The worker never asks a cloud metadata service.
ALTER TABLE gh_worker_registry
    ADD COLUMN ec2_instance_id text,
    ADD COLUMN ec2_ip          text;
