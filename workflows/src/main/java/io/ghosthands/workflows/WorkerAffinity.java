package io.ghosthands.workflows;

import java.util.Locale;
import java.util.Set;

/**
 * How firmly a job is bound to its {@code target_worker_id}: {@code strict} (only that worker; the
 * job expires when it does not take it in time), {@code preferred} (that worker first, the shared
 * pool after the fallback time or when the worker is lost) or {@code any} (the shared pool at once).
 * A job without a target worker is the shared pool's whatever its affinity.
 */
public enum WorkerAffinity {
    STRICT,
    PREFERRED,
    ANY;

    /** The affinity of a job that names none. */
    public static final WorkerAffinity DEFAULT = PREFERRED;

    /** The values as the contract spells them. */
    public static final Set<String> CODES = Set.of("strict", "preferred", "any");

    /** As the contract spells it: {@code strict}, {@code preferred}, {@code any}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The affinity a stored value means: {@link #DEFAULT} for none (or one this version does not know). */
    public static WorkerAffinity of(String code) {
        if (code != null) {
            for (WorkerAffinity a : values()) {
                if (a.code().equals(code)) {
                    return a;
                }
            }
        }
        return DEFAULT;
    }

    /** The code of {@link #of}: the stored value, or the default's. */
    public static String codeOf(String code) {
        return of(code).code();
    }

    /** Whether a job with this affinity and target is claimed on its target worker's queue first. */
    public boolean claimsOnTarget(String targetWorkerId) {
        return targetWorkerId != null && !targetWorkerId.isBlank() && this != ANY;
    }
}
