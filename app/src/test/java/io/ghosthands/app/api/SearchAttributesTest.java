package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.ApiTestBase;
import io.ghosthands.app.worker.WorkerRuntime;
import io.ghosthands.workflows.JobSearchAttributes;
import io.ghosthands.workflows.WorkflowIds;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * On the embedded server too, a job's workflow carries GhostHands' search attributes (registered
 * there at start-up) and keeps them current: after the job ends they say who ran it and how it
 * ended. (Querying by them needs a real server: {@code RealTemporalDurabilityTest}.)
 */
class SearchAttributesTest extends ApiTestBase {

    @Test
    void aFinishedJobsWorkflowSaysItsTypeStatusWorkerAndOwner() {
        String user = UUID.randomUUID().toString();
        String id = create("{\"job_type\":\"scrape\",\"target_url\":\"" + pages.url("/job") + "\",\"user_id\":\"" + user
                + "\",\"valet_task_id\":\"sa-" + UUID.randomUUID() + "\"}");
        assertThat(api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(60))
                        .path("status")
                        .asString())
                .isEqualTo("completed");

        SearchAttributes attributes = stack.temporalClient()
                .newUntypedWorkflowStub(WorkflowIds.forJob(UUID.fromString(id)))
                .describe()
                .getTypedSearchAttributes();
        assertThat(attributes.get(JobSearchAttributes.JOB_TYPE)).isEqualTo("scrape");
        assertThat(attributes.get(JobSearchAttributes.STATUS)).isEqualTo("completed");
        assertThat(attributes.get(JobSearchAttributes.WORKER_ID))
                .isEqualTo(stack.bean(WorkerRuntime.class).workerId());
        assertThat(attributes.get(JobSearchAttributes.USER_ID)).isEqualTo(user);
        assertThat(attributes.get(JobSearchAttributes.VALET_TASK_ID)).startsWith("sa-");
        assertThat(attributes.containsKey(JobSearchAttributes.TARGET_WORKER_ID)).isFalse();
    }
}
