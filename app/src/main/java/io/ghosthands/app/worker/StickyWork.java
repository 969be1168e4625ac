package io.ghosthands.app.worker;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a worker asks the server to keep a workflow's next tasks on this worker ("sticky"
 * execution: the workflow stays in memory here and is not replayed for every task).
 *
 * <p>A Temporal cluster moves a task that waits on a sticky queue longer than the sticky
 * schedule-to-start timeout (5 s) back to the normal queue, so a worker killed with {@code kill -9}
 * costs its workflows a few seconds. The embedded dev server ({@code temporal-dev}, the SDK's test
 * server) does not: a workflow whose last task ran on a worker that died hard would wait on that
 * worker's sticky queue forever — its activity timeouts, signals and timers all land there. Against
 * that server, workers therefore run without stickiness (each workflow task replays the job's short
 * history). The embedded server is recognised by its empty server version in {@code GetSystemInfo}.
 */
final class StickyWork {

    private static final Logger log = LoggerFactory.getLogger(StickyWork.class);

    /** The SDK's default: how long a task waits on a sticky queue before the server moves it. */
    static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(5);

    private StickyWork() {}

    /**
     * The sticky schedule-to-start timeout to give the workers: {@link #CLUSTER_TIMEOUT} against a
     * real cluster, {@link Duration#ZERO} (stickiness off) against the embedded server.
     */
    static Duration scheduleToStartFor(WorkflowClient client) {
        String version;
        try {
            version = client.getWorkflowServiceStubs()
                    .blockingStub()
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
                    .getServerVersion();
        } catch (RuntimeException e) {
            log.warn("could not ask Temporal which server it is ({}); keeping sticky execution", e.toString());
            return CLUSTER_TIMEOUT;
        }
        if (version == null || version.isBlank()) {
            log.info("Temporal is the embedded dev server: workflow tasks are not kept sticky to this worker,"
                    + " so a worker that dies hard cannot strand a job");
            return Duration.ZERO;
        }
        return CLUSTER_TIMEOUT;
    }
}
