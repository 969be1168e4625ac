package io.ghosthands.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

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
    assertThat(history.toJson(true)).containsPattern("\"name\"\\s*:\\s*\"Complete\"")
        .doesNotContain(JobWorkflowImpl.LOCAL_COMPLETION);

    WorkflowReplayer.replayWorkflowExecution(history, JobWorkflowImpl.class);
  }

  private static WorkflowExecutionHistory history(String name) throws IOException {
    try (InputStream in = HistoryCompatibilityTest.class.getResourceAsStream("/histories/" + name)) {
      assertThat(in).as(name).isNotNull();
      return WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }
}
