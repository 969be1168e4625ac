package io.ghosthands.activities.engine;

/** Picks the engine for a job type. */
public final class Engines {

  private Engines() {}

  /**
   * @param httpStatus the status the job's first page answered with (reported by page-level engines)
   */
  public static JobEngine create(JobSpec spec, EngineContext ctx, int httpStatus) {
    switch (spec.jobType()) {
      default:
        return new VisitEngine(ctx, httpStatus);
    }
  }
}
