package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.LaneGate;
import io.temporal.worker.tuning.ActivitySlotInfo;
import io.temporal.worker.tuning.SlotMarkUsedContext;
import io.temporal.worker.tuning.SlotPermit;
import io.temporal.worker.tuning.SlotReleaseContext;
import io.temporal.worker.tuning.SlotReserveContext;
import io.temporal.worker.tuning.SlotSupplier;
import io.temporal.worker.tuning.SlotSupplierFuture;
import java.util.Optional;

/**
 * The activity slots of one claim queue, taken from the worker's {@link LaneGate}: Temporal's
 * poller reserves a slot before it polls, so a worker whose browser lanes are all spoken for does
 * not poll its claim queues, and the claim goes to a worker with a free lane.
 */
final class LaneSlotSupplier implements SlotSupplier<ActivitySlotInfo> {

    private final LaneGate gate;
    private final String queue;

    LaneSlotSupplier(LaneGate gate, String queue) {
        this.gate = gate;
        this.queue = queue;
    }

    @Override
    public SlotSupplierFuture reserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) {
        LaneGate.Reservation reservation = gate.reserve(queue);
        SlotSupplierFuture future = new SlotSupplierFuture() {
            @Override
            public SlotPermit abortReservation() {
                // granted meanwhile: the caller gets the permit and releases it
                return reservation.abort() ? new SlotPermit(reservation) : null;
            }
        };
        reservation.granted().whenComplete((r, e) -> {
            if (e == null) {
                future.complete(new SlotPermit(r));
            } else {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    @Override
    public Optional<SlotPermit> tryReserveSlot(SlotReserveContext<ActivitySlotInfo> ctx) {
        return Optional.ofNullable(gate.tryReserve(queue)).map(SlotPermit::new);
    }

    @Override
    public void markSlotUsed(SlotMarkUsedContext<ActivitySlotInfo> ctx) {
        reservation(ctx.getSlotPermit()).used();
    }

    @Override
    public void releaseSlot(SlotReleaseContext<ActivitySlotInfo> ctx) {
        reservation(ctx.getSlotPermit()).release();
    }

    @Override
    public Optional<Integer> getMaximumSlots() {
        return Optional.of(gate.lanes());
    }

    private static LaneGate.Reservation reservation(SlotPermit permit) {
        return (LaneGate.Reservation) permit.userData;
    }
}
