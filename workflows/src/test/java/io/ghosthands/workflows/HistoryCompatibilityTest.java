package io.ghosthands.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.workflows.codec.EncryptionCodec;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Workflows that were running when a worker was upgraded finish on the new code: their histories,
 * recorded by earlier versions of {@link JobWorkflowImpl}, must replay against the current one.
 * Each file under {@code src/test/resources/histories} is the history of a job run to its end by
 * the version named in the file.
 */
class HistoryCompatibilityTest {

    @Test
    void aJobCompletedBeforeCompletionBecameALocalActivityReplays() throws Exception {
        WorkflowExecutionHistory history = history("paused-resumed-completed-before-local-completion.json");
        // recorded by the version before 2026-11-27: completion mirrored by a regular activity, no marker
        assertThat(history.toJson(true))
                .containsPattern("\"name\"\\s*:\\s*\"Complete\"")
                .doesNotContain(JobWorkflowImpl.LOCAL_COMPLETION);

        WorkflowReplayer.replayWorkflowExecution(history, JobWorkflowImpl.class);
    }

    @Test
    void aJobPausedThenResumedAcrossAKilledRealServerReplays() throws Exception {
        WorkflowExecutionHistory history = history("real-server-paused-killed-resumed-completed.json");
        // recorded on temporal server start-dev (CLI 1.9.1, server 1.32.0) by RealTemporalDurabilityTest
        // (-Dgh.record-histories): search attributes at start and upserted, the server killed while the
        // job was paused; payloads encrypted with that test stack's key
        assertThat(history.getEvents())
                .anyMatch(e -> e.hasUpsertWorkflowSearchAttributesEventAttributes())
                .anyMatch(e -> e.hasWorkflowExecutionSignaledEventAttributes());
        try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(WorkflowClientOptions.newBuilder()
                        .setDataConverter(
                                EncryptionCodec.forKey("test-service-key").dataConverter())
                        .build())
                .build())) {
            WorkflowReplayer.replayWorkflowExecution(history, env, JobWorkflowImpl.class);
        }
    }

    /**
     * Recorded by the version before JobWorkflowImpl was split (ClaimRouting, JobCallbacks,
     * HumanPause, StepFailures) in the workflow tests' environment: a preferred job whose worker was
     * lost retried on the shared pool ({@code retry-lost-on-pool}), a strict job whose target never
     * came, a pause that timed out (failed callback), a cancel that won over a finishing step
     * ({@code cancel-over-late-result}).
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "pre-split-preferred-worker-lost-retried-on-pool.json",
                "pre-split-strict-target-never-came-expired.json",
                "pre-split-paused-human-timeout-failed.json",
                "pre-split-cancelled-while-step-finished.json"
            })
    void aJobRecordedBeforeTheSplitReplays(String name) throws Exception {
        WorkflowExecutionHistory history = history(name);
        assertThat(history.getLastEvent().getEventType().name())
                .startsWith("EVENT_TYPE_WORKFLOW_EXECUTION_")
                .isNotEqualTo("EVENT_TYPE_WORKFLOW_EXECUTION_STARTED");

        WorkflowReplayer.replayWorkflowExecution(history, JobWorkflowImpl.class);
    }

    private static WorkflowExecutionHistory history(String name) throws IOException {
        try (InputStream in = HistoryCompatibilityTest.class.getResourceAsStream("/histories/" + name)) {
            assertThat(in).as(name).isNotNull();
            return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
