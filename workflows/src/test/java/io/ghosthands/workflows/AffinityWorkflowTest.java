package io.ghosthands.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.workflows.JobWorkflowTest.RecordingStore;
import io.ghosthands.workflows.activity.JobStoreActivities;
import io.ghosthands.workflows.payload.Claim;
import io.ghosthands.workflows.payload.ClaimRequest;
import io.ghosthands.workflows.payload.JobCompletion;
import io.ghosthands.workflows.payload.JobEnded;
import io.ghosthands.workflows.payload.JobFailure;
import io.ghosthands.workflows.payload.JobNote;
import io.ghosthands.workflows.payload.JobOutcome;
import io.ghosthands.workflows.payload.JobRequest;
import io.ghosthands.workflows.payload.JobRequeue;
import io.ghosthands.workflows.payload.Pause;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Routing by affinity: where the claim goes, and what happens when the target worker never comes.
 * The shared queue's store claims as worker "pool"; the target queue, when a test serves it, as
 * "adam".
 */
class AffinityWorkflowTest {

    private TestWorkflowEnvironment env;
    private final RecordingStore pool = new RecordingStore();
    private final List<String> claimedBy = new CopyOnWriteArrayList<>();
    // browser steps that fail with worker_lost before the others succeed
    private final AtomicInteger lostSteps = new AtomicInteger();

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        Worker shared = env.newWorker(TaskQueues.SHARED);
        shared.registerWorkflowImplementationFactory(
                JobWorkflow.class, () -> new JobWorkflowImpl(JobWorkflowTest.SETTINGS));
        shared.registerActivitiesImplementations(pool);
        env.newWorker(TaskQueues.SHARED_CLAIMS).registerActivitiesImplementations(new NamedStore("pool", pool));
        String session = TaskQueues.forSession("w1", "p1");
        env.newWorker(session).registerActivitiesImplementations(JobWorkflowTest.ScriptedBrowser.of(r -> {
            if (lostSteps.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw ApplicationFailure.newNonRetryableFailure("worker gone", "worker_lost");
            }
            return JobWorkflowTest.done("T", r.url(), "s");
        }));
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private void serveAdam() {
        env.newWorker(TaskQueues.claimsFor("adam")).registerActivitiesImplementations(new NamedStore("adam", pool));
    }

    @Test
    void strictJobForAnAbsentWorkerExpiresWithWorkerUnavailable() {
        env.start();

        JobOutcome outcome = run("job-a1", "adam", "strict");

        assertThat(outcome).isEqualTo(new JobOutcome("expired", "worker_unavailable"));
        assertThat(claimedBy).isEmpty();
        assertThat(pool.failures).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo("expired");
            assertThat(f.errorCode()).isEqualTo("worker_unavailable");
        });
    }

    @Test
    void preferredJobForAnAbsentWorkerRunsOnThePoolAfterTheFallbackWithAnEvent() {
        env.start();

        JobOutcome outcome = run("job-a2", "adam", "preferred");

        assertThat(outcome.status()).isEqualTo("completed");
        assertThat(claimedBy).containsExactly("pool");
        assertThat(pool.notes).extracting(n -> n.type()).containsExactly("routing_fallback");
    }

    @Test
    void targetedJobsRunOnTheirWorkerWhenItIsThere() {
        serveAdam();
        env.start();

        assertThat(run("job-a3", "adam", "strict").status()).isEqualTo("completed");
        assertThat(run("job-a4", "adam", "preferred").status()).isEqualTo("completed");

        assertThat(claimedBy).containsExactly("adam", "adam");
        assertThat(pool.notes).isEmpty();
    }

    @Test
    void aPreferredJobWhoseWorkerWasLostIsRetriedOnThePoolAtOnce() {
        serveAdam();
        lostSteps.set(1);
        env.start();

        JobOutcome outcome = run("job-a7", "adam", "preferred", 1);

        assertThat(outcome.status()).isEqualTo("completed");
        // not back to adam's queue for the fallback time: its worker is gone
        assertThat(claimedBy).containsExactly("adam", "pool");
        assertThat(pool.notes).singleElement().satisfies(n -> {
            assertThat(n.type()).isEqualTo("routing_fallback");
            assertThat(n.metadata()).containsEntry("reason", "worker_lost");
        });
    }

    @Test
    void aStrictJobWhoseWorkerWasLostWaitsForThatWorkerAgain() {
        serveAdam();
        lostSteps.set(1);
        env.start();

        assertThat(run("job-a8", "adam", "strict", 1).status()).isEqualTo("completed");
        assertThat(claimedBy).containsExactly("adam", "adam");
    }

    @Test
    void anyAffinityIgnoresTheTarget() {
        serveAdam();
        env.start();

        assertThat(run("job-a5", "adam", "any").status()).isEqualTo("completed");
        assertThat(run("job-a6", null, "preferred").status()).isEqualTo("completed");

        assertThat(claimedBy).containsExactly("pool", "pool");
    }

    private JobOutcome run(String jobId, String target, String affinity) {
        return run(jobId, target, affinity, 0);
    }

    private JobOutcome run(String jobId, String target, String affinity, int maxRetries) {
        JobWorkflow workflow = env.getWorkflowClient()
                .newWorkflowStub(
                        JobWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setWorkflowId(WorkflowIds.forJob(jobId))
                                .setTaskQueue(TaskQueues.SHARED)
                                .build());
        // fallback and deadline of 2 s: the test server keeps schedule-to-start on the wall clock
        return workflow.run(
                new JobRequest(jobId, "custom", "http://site/", target, 60, 0, maxRetries, 1, affinity, 2, 2));
    }

    /** The recording store, claiming under a worker name. */
    private final class NamedStore implements JobStoreActivities {
        private final String name;
        private final RecordingStore delegate;

        NamedStore(String name, RecordingStore delegate) {
            this.name = name;
            this.delegate = delegate;
        }

        @Override
        public Claim claim(ClaimRequest request) {
            claimedBy.add(name);
            return delegate.claim(request);
        }

        @Override
        public void complete(JobCompletion completion) {
            delegate.complete(completion);
        }

        @Override
        public void requeue(JobRequeue requeue) {
            delegate.requeue(requeue);
        }

        @Override
        public JobEnded fail(JobFailure failure) {
            return delegate.fail(failure);
        }

        @Override
        public void pause(Pause pause) {
            delegate.pause(pause);
        }

        @Override
        public void markSubmitting(JobNote note) {
            delegate.markSubmitting(note);
        }

        @Override
        public void note(JobNote note) {
            delegate.note(note);
        }
    }
}
