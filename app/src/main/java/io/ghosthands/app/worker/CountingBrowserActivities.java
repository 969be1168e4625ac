package io.ghosthands.app.worker;

import io.ghosthands.activities.browser.LaneGate;
import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.payload.ResumeStep;
import io.ghosthands.workflows.payload.StepRequest;
import io.ghosthands.workflows.payload.StepResult;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Counts running browser steps for {@code /worker/health} and {@code /worker/status}, and tells the
 * {@link LaneGate} which lanes the jobs' steps hold.
 */
final class CountingBrowserActivities implements BrowserActivities {
    private final BrowserActivities delegate;
    private final AtomicInteger active;
    private final LaneGate gate;

    CountingBrowserActivities(BrowserActivities delegate, AtomicInteger active, LaneGate gate) {
        this.delegate = delegate;
        this.active = active;
        this.gate = gate;
    }

    private StepResult counted(String jobId, Supplier<StepResult> step) {
        active.incrementAndGet();
        gate.stepStarted(jobId);
        long hold = LaneGate.FINISH_HOLD_MS;
        try {
            StepResult result = step.get();
            if (result != null && result.is(StepResult.READY_TO_SUBMIT)) {
                hold = LaneGate.BETWEEN_STEPS_HOLD_MS; // the submit step comes next, on this page
            }
            return result;
        } finally {
            // done, failed or paused: the lane is free once the workflow records it (or the hold ends)
            gate.stepEnded(jobId, hold);
            active.decrementAndGet();
        }
    }

    @Override
    public StepResult start(StepRequest request) {
        return counted(request.jobId(), () -> delegate.start(request));
    }

    @Override
    public StepResult resume(ResumeStep request) {
        return counted(request.step().jobId(), () -> delegate.resume(request));
    }

    @Override
    public StepResult submit(StepRequest request) {
        return counted(request.jobId(), () -> delegate.submit(request));
    }

    @Override
    public void close(String jobId) {
        try {
            delegate.close(jobId);
        } finally {
            gate.release(jobId);
        }
    }
}
