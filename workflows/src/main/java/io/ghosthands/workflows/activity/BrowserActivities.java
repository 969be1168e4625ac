package io.ghosthands.workflows.activity;

import io.ghosthands.workflows.payload.PageVisit;
import io.ghosthands.workflows.payload.VisitRequest;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Browser steps. They run on the claiming worker's session queue, in an isolated browser context per
 * job. Failures carry an {@link io.ghosthands.workflows.ErrorCode} wire code as their type.
 */
@ActivityInterface
public interface BrowserActivities {

  /** Opens the page, reads its title and takes a screenshot stored as an artifact. */
  @ActivityMethod
  PageVisit visit(VisitRequest request);
}
