package io.ghosthands.activities.browser;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bookkeeping behind capacity-aware claiming, without Temporal. */
class LaneGateTest {

    @Test
    void aPollerGetsASlotOnlyWhileALaneIsFree() {
        try (LaneGate gate = new LaneGate(2)) {
            LaneGate.Reservation a = gate.reserve("q");
            LaneGate.Reservation b = gate.reserve("q");
            assertThat(a.granted()).isDone();
            assertThat(b.granted()).isDone();
            LaneGate.Reservation c = gate.reserve("q");
            assertThat(c.granted())
                    .as("both lanes have a poll waiting for them")
                    .isNotDone();

            // a claim arrives on a: its slot becomes the job's lane
            a.used();
            assertThat(gate.admit("job-1")).isTrue();
            a.release();
            assertThat(c.granted()).as("the lane job-1 took is not free").isNotDone();
            gate.stepStarted("job-1");

            // b's poll comes back empty: c may poll for the second lane
            b.release();
            assertThat(c.granted()).isDone();
            c.used();
            assertThat(gate.admit("job-2")).isTrue();
            c.release();
            gate.stepStarted("job-2");
            assertThat(gate.heldJobs()).isEqualTo(2);
            assertThat(gate.tryReserve("q")).as("both lanes run a job").isNull();

            // a paused or finished job's lane is free once the workflow records it
            gate.stepEnded("job-1", LaneGate.FINISH_HOLD_MS);
            assertThat(gate.tryReserve("q")).isNull();
            gate.release("job-1");
            assertThat(gate.tryReserve("q")).isNotNull();
        }
    }

    @Test
    void twoClaimQueuesMayEachPollForTheOneFreeLaneButOnlyOneClaimIsAdmitted() {
        try (LaneGate gate = new LaneGate(1)) {
            LaneGate.Reservation own = gate.reserve("gh-claims-adam");
            LaneGate.Reservation shared = gate.reserve("gh-claims-shared");
            assertThat(own.granted()).isDone();
            assertThat(shared.granted())
                    .as("neither queue starves behind the other's long poll")
                    .isDone();
            assertThat(gate.reserve("gh-claims-shared").granted())
                    .as("one poll per queue at most")
                    .isNotDone();

            own.used();
            shared.used();
            assertThat(gate.admit("job-a")).isTrue();
            assertThat(gate.admit("job-b"))
                    .as("the second claim finds no free lane: refused, retried")
                    .isFalse();
            assertThat(gate.heldJobs()).isEqualTo(1);
        }
    }

    @Test
    void aNamedWorkerServesItsOwnQueueBeforeTheSharedOne() throws Exception {
        try (LaneGate gate = new LaneGate(2, "gh-claims-adam")) {
            LaneGate.Reservation own = gate.reserve("gh-claims-adam");
            LaneGate.Reservation shared = gate.reserve("gh-claims-shared");
            assertThat(own.granted()).isDone();
            assertThat(shared.granted()).as("the own queue may still deliver").isNotDone();
            // the own queue delivers: while its jobs keep coming, the shared queue waits
            own.used();
            assertThat(gate.admit("adam-1")).isTrue();
            own.release();
            LaneGate.Reservation ownAgain = gate.reserve("gh-claims-adam");
            assertThat(ownAgain.granted()).isDone();
            assertThat(shared.granted()).isNotDone();
            // its poll stays open without a claim: the own queue is empty, the shared one gets the other lane
            Thread.sleep(LaneGate.OWN_QUEUE_FIRST_MS + 800);
            assertThat(shared.granted()).isDone();
        }
    }

    @Test
    void aClaimWhoseFirstStepNeverComesGivesItsLaneBack() {
        try (LaneGate gate = new LaneGate(1)) {
            LaneGate.Reservation r = gate.reserve("q");
            r.used();
            assertThat(gate.admit("job")).isTrue();
            r.release();
            assertThat(gate.heldJobs()).isEqualTo(1);
            // the workflow learned the job had a recorded submission, or the claim failed: released at once
            gate.release("job");
            assertThat(gate.heldJobs()).isZero();
            // a step that runs keeps its lane whatever is recorded meanwhile
            gate.stepStarted("job");
            gate.release("job");
            assertThat(gate.heldJobs()).isEqualTo(1);
            gate.stepEnded("job", 0);
            assertThat(gate.heldJobs()).isZero();
        }
    }

    @Test
    void aWithdrawnReservationIsNeverGranted() {
        try (LaneGate gate = new LaneGate(1)) {
            LaneGate.Reservation first = gate.reserve("q");
            LaneGate.Reservation waiting = gate.reserve("q");
            assertThat(waiting.abort()).isFalse();
            first.release();
            assertThat(waiting.granted().isDone() && !waiting.granted().isCancelled())
                    .isFalse();
            assertThat(gate.claimSlots()).isZero();
        }
    }
}
