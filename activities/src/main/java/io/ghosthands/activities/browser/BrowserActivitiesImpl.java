package io.ghosthands.activities.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import io.ghosthands.activities.store.ArtifactStore;
import io.ghosthands.activities.store.JobStore;
import io.ghosthands.workflows.ErrorCode;
import io.ghosthands.workflows.activity.BrowserActivities;
import io.ghosthands.workflows.payload.PageVisit;
import io.ghosthands.workflows.payload.VisitRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Browser steps on Playwright: each job gets its own {@code BrowserContext} on one of the worker's
 * {@link BrowserLanes}, closed when the step ends whatever happens. While the browser works, the
 * activity heartbeats to Temporal and to the job's row.
 */
public class BrowserActivitiesImpl implements BrowserActivities {

  private static final int VIEWPORT_WIDTH = 1280;
  private static final int VIEWPORT_HEIGHT = 800;
  /**
   * How often a running step heartbeats. Cancellation reaches an activity only through a heartbeat,
   * so this (with the worker's heartbeat throttle) bounds how long a cancelled job's browser keeps
   * going.
   */
  public static final long HEARTBEAT_EVERY_MS = 500;

  private final BrowserLanes lanes;
  private final JobStore jobs;
  private final ArtifactStore artifacts;

  public BrowserActivitiesImpl(BrowserLanes lanes, JobStore jobs, ArtifactStore artifacts) {
    this.lanes = lanes;
    this.jobs = jobs;
    this.artifacts = artifacts;
  }

  /** What one visit saw, handed from the browser lane back to the activity thread. */
  record Snapshot(String title, String url, int status, byte[] png, BlockerDetector.Blocker blocker) {}

  private static final BlockerDetector DETECTOR = new BlockerDetector();

  @Override
  public PageVisit visit(VisitRequest request) {
    UUID jobId = UUID.fromString(request.jobId());
    long timeoutMs = request.timeoutSeconds() * 1000L;
    Snapshot snapshot = onLane(jobId, browser -> open(browser, request.url(), timeoutMs));
    UUID artifactId = artifacts.save(jobId, "screenshot", "visit.png", "image/png", snapshot.png());
    String screenshotUrl = artifacts.url(artifactId);
    if (snapshot.blocker() != null) {
      // no human-in-the-loop pause yet: the job ends with the blocker's code (contract section 4,
      // "a job with no callback_url never pauses")
      BlockerDetector.Blocker b = snapshot.blocker();
      java.util.Map<String, Object> details = new java.util.LinkedHashMap<>();
      details.put("screenshot_url", screenshotUrl);
      details.put("http_status", snapshot.status());
      details.put("blocker_type", b.reason().code());
      details.put("confidence", b.confidence());
      details.put("signals", b.signals());
      details.put("page_url", snapshot.url());
      throw ApplicationFailure.newNonRetryableFailure(
          b.description(), ErrorCode.forBlocker(b.reason().code()).code(), details);
    }
    if (snapshot.status() >= 400) {
      throw ApplicationFailure.newNonRetryableFailure(
          "HTTP " + snapshot.status() + " from " + snapshot.url(),
          ErrorCode.PAGE_LOAD_FAILED.code(),
          java.util.Map.of("screenshot_url", screenshotUrl, "http_status", snapshot.status()));
    }
    return new PageVisit(snapshot.title(), snapshot.url(), snapshot.status(), screenshotUrl);
  }

  private static Snapshot open(Browser browser, String url, long timeoutMs) {
    try (BrowserContext context =
        browser.newContext(
            new Browser.NewContextOptions().setViewportSize(VIEWPORT_WIDTH, VIEWPORT_HEIGHT))) {
      context.setDefaultTimeout(timeoutMs);
      context.setDefaultNavigationTimeout(timeoutMs);
      Page page = context.newPage();
      Response response = page.navigate(url);
      int status = response == null ? 0 : response.status();
      BlockerDetector.Blocker blocker = DETECTOR.detect(page).orElse(null);
      return new Snapshot(page.title(), page.url(), status, page.screenshot(), blocker);
    }
  }

  /** Runs work on a browser lane, heartbeating while it runs, mapping failures to error codes. */
  private <T> T onLane(UUID jobId, java.util.function.Function<Browser, T> work) {
    ActivityExecutionContext ctx = Activity.getExecutionContext();
    BrowserLanes.LaneTask<T> task = lanes.submit(work);
    Future<T> future = task.future();
    jobs.heartbeat(jobId);
    long lastDbHeartbeat = System.nanoTime();
    while (true) {
      try {
        return future.get(HEARTBEAT_EVERY_MS, TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillWorking) {
        try {
          ctx.heartbeat(null);
        } catch (ActivityCompletionException cancelledOrGone) {
          task.abort();
          throw cancelledOrGone;
        }
        if (System.nanoTime() - lastDbHeartbeat > TimeUnit.SECONDS.toNanos(5)) {
          jobs.heartbeat(jobId);
          lastDbHeartbeat = System.nanoTime();
        }
      } catch (InterruptedException e) {
        task.abort();
        Thread.currentThread().interrupt();
        throw Activity.wrap(e);
      } catch (java.util.concurrent.CancellationException e) {
        throw ApplicationFailure.newNonRetryableFailure("browser step aborted", ErrorCode.BROWSER_CRASHED.code());
      } catch (ExecutionException e) {
        throw classify(e.getCause());
      }
    }
  }

  static ApplicationFailure classify(Throwable cause) {
    ErrorCode code;
    if (cause instanceof BrowserUnavailableException) {
      code = ErrorCode.BROWSER_UNAVAILABLE;
    } else if (cause instanceof TimeoutError) {
      code = ErrorCode.TIMEOUT;
    } else if (cause instanceof PlaywrightException && String.valueOf(cause.getMessage()).contains("net::ERR_")) {
      code = ErrorCode.NETWORK_ERROR;
    } else if (cause instanceof PlaywrightException && String.valueOf(cause.getMessage()).contains("closed")) {
      code = ErrorCode.BROWSER_CRASHED;
    } else {
      code = ErrorCode.INTERNAL_ERROR;
    }
    return ApplicationFailure.newNonRetryableFailureWithCause(firstLine(cause), code.code(), null);
  }

  private static final java.util.regex.Pattern DRIVER_MESSAGE = java.util.regex.Pattern.compile("message='([^\\n]*)");

  /**
   * What happened, in one line: Playwright's driver errors read {@code Error { message='net::… at
   * url' name=… stack=… }}, others carry a multi-line call log after their first line.
   */
  static String firstLine(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    java.util.regex.Matcher driver = DRIVER_MESSAGE.matcher(message);
    if (driver.find()) {
      return driver.group(1).strip();
    }
    return message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(message);
  }
}
