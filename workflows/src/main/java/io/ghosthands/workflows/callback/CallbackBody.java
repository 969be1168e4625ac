package io.ghosthands.workflows.callback;

import java.util.Map;

/**
 * The fields a callback of one status carries after its envelope (contract section 3), typed. A
 * body is rendered to the JSON map of {@link CallbackEnvelope#toMap} in the contract's key order;
 * which keys are written when a value is null is each record's rule, as the contract's receivers
 * have always read it.
 */
public sealed interface CallbackBody
        permits RunningBody, NeedsHumanBody, ResumedBody, CompletedBody, FailedBody, CancelledBody {

    /** The callback's {@code status}. */
    String status();

    /** Adds this body's fields, in order, to {@code body} (which holds the envelope). */
    void addTo(Map<String, Object> body);
}
