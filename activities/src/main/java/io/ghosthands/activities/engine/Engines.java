package io.ghosthands.activities.engine;

import io.ghosthands.activities.engine.apply.ApplyEngine;
import io.ghosthands.activities.engine.custom.CustomEngine;
import io.ghosthands.activities.engine.scrape.ScrapeEngine;

/** Picks the engine for a job type. */
public final class Engines {

    private Engines() {}

    /** Job types whose engine fills forms and so needs the candidate's résumé. */
    public static boolean needsResume(String jobType) {
        return "apply".equals(jobType) || "fill_form".equals(jobType);
    }

    /** Whether the job type's engine looks for blockers on every page itself, settled first. */
    public static boolean checksBlockers(String jobType) {
        return "apply".equals(jobType) || "fill_form".equals(jobType);
    }

    /**
     * @param httpStatus the status the job's first page answered with (reported by page-level engines)
     */
    public static JobEngine create(JobSpec spec, EngineContext ctx, int httpStatus) {
        switch (spec.jobType()) {
            case "apply":
            case "fill_form":
                return ApplyEngine.create(spec, ctx);
            case "scrape":
                return new ScrapeEngine(spec, ctx);
            case "custom":
                return new CustomEngine(spec, ctx);
            default:
                return new VisitEngine(ctx, httpStatus);
        }
    }
}
