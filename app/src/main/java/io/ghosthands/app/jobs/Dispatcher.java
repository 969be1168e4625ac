package io.ghosthands.app.jobs;

import io.ghosthands.app.config.GhProperties;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The outbox half of job creation: a job whose workflow could not be started (Temporal down, API
 * crashed between insert and start) stays {@code pending}; this loop starts it again. Starting is
 * idempotent (one workflow id per job), so several API nodes may run it at once. The same goes for
 * the callbacks the API owes ({@link CallbackOutbox}): one whose delivery could not be started is
 * started here.
 */
@Component
@ConditionalOnProperty(prefix = "gh.api", name = "enabled", havingValue = "true", matchIfMissing = true)
public class Dispatcher {

  private final JobRepository jobs;
  private final JobService service;
  private final CallbackOutbox callbacks;
  private final GhProperties properties;

  public Dispatcher(JobRepository jobs, JobService service, CallbackOutbox callbacks, GhProperties properties) {
    this.jobs = jobs;
    this.service = service;
    this.callbacks = callbacks;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${gh.api.dispatch-interval-ms:2000}", initialDelay = 2000)
  public void relayCallbacks() {
    callbacks.relayOwed(properties.getApi().getRedispatchAfterSeconds());
  }

  @Scheduled(fixedDelayString = "${gh.api.dispatch-interval-ms:2000}", initialDelay = 2000)
  public void redispatch() {
    for (Map<String, Object> row : jobs.undispatched(properties.getApi().getRedispatchAfterSeconds(), 100)) {
      boolean started = service.dispatch(UUID.fromString((String) row.get("id")), JobService.Dispatch.of(row));
      if (!started) {
        return; // Temporal still unreachable: try the rest next round
      }
    }
  }
}
