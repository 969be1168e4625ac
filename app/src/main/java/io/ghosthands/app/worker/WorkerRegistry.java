package io.ghosthands.app.worker;

import io.ghosthands.activities.store.Json;
import io.ghosthands.activities.store.WorkerRegistryStore;
import java.util.Map;
import javax.sql.DataSource;

/** This worker's row in {@code gh_worker_registry}, through {@link WorkerRegistryStore}. */
class WorkerRegistry {

    private final WorkerRegistryStore store;
    private final String workerId;

    WorkerRegistry(DataSource dataSource, String workerId) {
        this.store = new WorkerRegistryStore(dataSource);
        this.workerId = workerId;
    }

    void register(String targetWorkerId, String host, WorkerHost machine, Map<String, Object> metadata) {
        store.register(new WorkerRegistryStore.Registration(
                workerId, targetWorkerId, host, machine.ec2InstanceId(), machine.ec2Ip(), Json.write(metadata)));
    }

    /**
     * Records that this worker is alive, in {@code status}. Returns false, writing nothing, when the
     * row says {@code offline}: someone deregistered this worker ({@code POST
     * /valet/workers/deregister}), and a heartbeat must not undo that.
     */
    boolean heartbeat(String status) {
        return store.heartbeat(workerId, status);
    }

    /** Jobs this worker claimed since it registered that still read {@code running}. */
    int runningJobs() {
        return store.runningJobs(workerId);
    }

    void offline() {
        store.offline(workerId);
    }
}
