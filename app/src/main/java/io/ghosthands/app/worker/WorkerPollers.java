package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.LaneGate;
import io.ghosthands.activities.callback.CallbackActivitiesImpl;
import io.ghosthands.activities.store.JobStoreActivitiesImpl;
import io.ghosthands.workflows.CallbackWorkflow;
import io.ghosthands.workflows.CallbackWorkflowImpl;
import io.ghosthands.workflows.JobWorkflow;
import io.ghosthands.workflows.JobWorkflowImpl;
import io.ghosthands.workflows.TaskQueues;
import io.ghosthands.workflows.activity.BrowserActivities;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.CompositeTuner;
import io.temporal.worker.tuning.FixedSizeSlotSupplier;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Temporal pollers of one worker process, in three factories stopped at different times:
 * {@code claims} (the claim queues: polled only while active, so a draining worker takes no new
 * job), {@code jobs} (the job workflows on the job queues) and {@code steps} (the activities: the
 * browser steps on the session queue, the mirror writes and callbacks on the job queues). The job
 * and step factories are stopped only when the drain is over, steps first.
 */
final class WorkerPollers {

    private static final Logger log = LoggerFactory.getLogger(WorkerPollers.class);

    private final String workerId;
    private final WorkerFactory jobFactory;
    private final WorkerFactory stepFactory;
    private final WorkerFactory claimFactory;
    // whether the claim pollers were ever started (guarded by this)
    private boolean claiming;

    /** The activities a worker serves. */
    record Activities(JobStoreActivitiesImpl store, CallbackActivitiesImpl callbacks, BrowserActivities browser) {}

    WorkerPollers(
            WorkflowClient client,
            WorkerSettings settings,
            List<String> jobQueues,
            String sessionQueue,
            LaneGate laneGate,
            Activities activities) {
        this.workerId = settings.workerId();
        // A workflow task of a job that is new to this worker only schedules the job's claim (on the
        // claim queues) or a timer, so a draining worker may run it: the claim goes elsewhere.
        this.jobFactory = WorkerFactory.newInstance(client);
        this.stepFactory = WorkerFactory.newInstance(client);
        this.claimFactory = WorkerFactory.newInstance(client);
        List<String> claimQueues = settings.named()
                ? List.of(TaskQueues.claimsFor(settings.workerId()), TaskQueues.SHARED_CLAIMS)
                : List.of(TaskQueues.SHARED_CLAIMS);
        for (String queue : claimQueues) {
            registerClaims(queue, laneGate, activities.store());
        }
        JobWorkflowImpl.Settings workflowSettings = settings.jobs().workflowSettings();
        Duration stickyScheduleToStart = StickyWork.scheduleToStartFor(client);
        for (String queue : jobQueues) {
            registerJobs(queue, workflowSettings, stickyScheduleToStart, activities);
        }
        Worker session = stepFactory.newWorker(
                sessionQueue,
                WorkerOptions.newBuilder()
                        // the claims are what is limited to the lanes (LaneGate); here every step of a job
                        // held here must start at once, also a paused job's resume while the lanes are busy
                        // (its lane runs it after the current work), else it would wait out its
                        // schedule-to-start and be retried as worker_lost
                        .setMaxConcurrentActivityExecutionSize(settings.concurrency() * 4 + 4)
                        // cancellation reaches a step only on a heartbeat: send them promptly so a
                        // cancelled job's browser stops within about a second
                        .setMaxHeartbeatThrottleInterval(Duration.ofMillis(500))
                        .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(500))
                        .build());
        session.registerActivitiesImplementations(activities.browser());
    }

    private void registerClaims(String queue, LaneGate laneGate, JobStoreActivitiesImpl store) {
        // a claim slot is a free browser lane (LaneGate): with every lane busy this worker does not
        // poll for claims at all, so no job waits here claimed-but-idle while another worker is free
        claimFactory
                .newWorker(
                        queue,
                        WorkerOptions.newBuilder()
                                .setMaxConcurrentActivityTaskPollers(1)
                                .setWorkerTuner(new CompositeTuner(
                                        new FixedSizeSlotSupplier<>(2),
                                        new LaneSlotSupplier(laneGate, queue),
                                        new FixedSizeSlotSupplier<>(2),
                                        new FixedSizeSlotSupplier<>(2)))
                                .build())
                .registerActivitiesImplementations(store);
    }

    private void registerJobs(
            String queue,
            JobWorkflowImpl.Settings workflowSettings,
            Duration stickyScheduleToStart,
            Activities activities) {
        Worker worker = jobFactory.newWorker(
                queue,
                WorkerOptions.newBuilder()
                        // a busy 2-core machine can stall a workflow thread past the 1 s default; that is
                        // load, not a deadlock, and failing the task would only add a retry round trip
                        .setDefaultDeadlockDetectionTimeout(5_000)
                        // regular activities are polled by stepFactory's worker below
                        .setLocalActivityWorkerOnly(true)
                        // at the end of a drain, let the jobs cached here finish their sticky tasks
                        .setStickyTaskQueueDrainTimeout(Duration.ofSeconds(5))
                        // zero (the embedded server) turns stickiness off; see StickyWork
                        .setStickyQueueScheduleToStartTimeout(stickyScheduleToStart)
                        .build());
        worker.registerWorkflowImplementationFactory(JobWorkflow.class, () -> new JobWorkflowImpl(workflowSettings));
        // the callbacks the API owes for jobs no worker claimed (see CallbackOutbox)
        worker.registerWorkflowImplementationFactory(
                CallbackWorkflow.class, () -> new CallbackWorkflowImpl(workflowSettings));
        worker.registerActivitiesImplementations(activities.store(), activities.callbacks());
        // mirror writes and callbacks of any job on this queue: cheap, and still wanted while draining
        stepFactory.newWorker(queue).registerActivitiesImplementations(activities.store(), activities.callbacks());
    }

    /** Starts polling the job and session queues (steps first). */
    void startJobsAndSteps() {
        stepFactory.start();
        jobFactory.start();
    }

    /** Starts polling the claim queues: from now on this worker takes jobs. */
    synchronized void startClaims() {
        claimFactory.start();
        claiming = true;
    }

    /** Stops polling the claim queues (if ever started): no new job is claimed here. */
    synchronized void stopClaims() {
        if (claiming) {
            claimFactory.shutdown();
        }
    }

    /** Stops polling for new steps and waits up to {@code seconds} for the running ones. */
    void stopSteps(int seconds) {
        stepFactory.shutdown();
        awaitQuietly(stepFactory, seconds);
    }

    /** Stops everything now, then waits up to {@code seconds} for the workflow tasks to end. */
    void stopNow(int seconds) {
        stepFactory.shutdownNow();
        jobFactory.shutdownNow();
        synchronized (this) {
            if (claiming) {
                claimFactory.shutdownNow();
            }
        }
        awaitQuietly(jobFactory, seconds);
    }

    private void awaitQuietly(WorkerFactory factory, int seconds) {
        try {
            factory.awaitTermination(seconds, TimeUnit.SECONDS);
        } catch (RuntimeException e) {
            log.warn("worker {} did not stop polling cleanly: {}", workerId, e.getMessage());
        }
    }
}
