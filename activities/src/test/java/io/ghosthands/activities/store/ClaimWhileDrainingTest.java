package io.ghosthands.activities.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ghosthands.workflows.payload.ClaimRequest;
import io.temporal.failure.ApplicationFailure;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A draining worker's claim queue poll may still hand it a claim; it must refuse it with a failure
 * Temporal retries (for another worker), before touching the job.
 */
class ClaimWhileDrainingTest {

    @Test
    void aDrainingWorkerRefusesAClaimWithARetryableFailureAndWritesNothing() {
        // no store at all: a refused claim must not reach it
        JobStoreActivitiesImpl draining = new JobStoreActivitiesImpl(null, "w1", "gh-session-w1-ab", 300, () -> false);

        ApplicationFailure refused = catchThrowableOfType(
                ApplicationFailure.class,
                () -> draining.claim(new ClaimRequest(
                        UUID.randomUUID().toString(), UUID.randomUUID().toString())));

        assertThat(refused).isNotNull();
        assertThat(refused.getType()).isEqualTo(JobStoreActivitiesImpl.WORKER_DRAINING);
        assertThat(refused.isNonRetryable()).isFalse();
        assertThat(refused.getOriginalMessage()).contains("w1").contains("draining");
    }
}
