package io.ghosthands.app.live;

import io.ghosthands.activities.store.JobEvent;
import io.ghosthands.activities.store.JobRow;
import io.ghosthands.app.jobs.JobRepository;
import io.ghosthands.app.jobs.JobService;
import io.ghosthands.app.jobs.JobStateException;
import io.ghosthands.app.jobs.NoLiveWorkflowException;
import io.ghosthands.workflows.payload.HumanAction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the live page and the CDP proxy share: the job rows, the link checks, the relays, the
 * events each viewing session writes ({@code live_view_opened}, {@code live_view_input} with counts
 * only — never what was typed —, {@code live_view_closed}) and the resume a viewer causes.
 */
@Component
public class LiveHub {

    private static final Logger log = LoggerFactory.getLogger(LiveHub.class);

    final JobRepository jobs;
    final JobService service;
    final WorkerRelays relays;
    final JobLinks links;
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "live-view-watch");
        t.setDaemon(true);
        return t;
    });

    public LiveHub(JobRepository jobs, JobService service, WorkerRelays relays, JobLinks links) {
        this.jobs = jobs;
        this.service = service;
        this.relays = relays;
        this.links = links;
    }

    Optional<Map<String, Object>> job(UUID id) {
        return jobs.find(id).map(JobRow::columns);
    }

    /** Input counts of one viewing session, by kind. */
    static final class Counts {
        final AtomicInteger mouse = new AtomicInteger();
        final AtomicInteger keys = new AtomicInteger();
        final AtomicInteger text = new AtomicInteger();
        final AtomicInteger wheel = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();

        int total() {
            return mouse.get() + keys.get() + text.get() + wheel.get();
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mouse_events", mouse.get());
            m.put("key_events", keys.get());
            m.put("text_inserts", text.get());
            m.put("wheel_events", wheel.get());
            m.put("refused", refused.get());
            return m;
        }

        /** Counts one CDP input command by its method (and its type for the mouse). */
        void count(String method, boolean wheelEvent) {
            switch (method) {
                case "Input.dispatchKeyEvent" -> keys.incrementAndGet();
                case "Input.insertText" -> text.incrementAndGet();
                default -> (wheelEvent ? wheel : mouse).incrementAndGet();
            }
        }
    }

    void opened(UUID jobId, String via, boolean watch, String status) {
        event(
                jobId,
                "live_view_opened",
                status,
                "Live view opened (" + (watch ? "watching" : "control") + ", " + via + ")",
                Map.of("via", via, "mode", watch ? "watch" : "control"));
    }

    void closed(UUID jobId, String via, boolean watch, long openedAtNanos, Counts counts) {
        String status = jobs.find(jobId).map(JobRow::statusValue).orElse(null);
        if (counts.total() > 0 || counts.refused.get() > 0) {
            Map<String, Object> meta = counts.asMap();
            meta.put("via", via);
            event(jobId, "live_view_input", status, "Live view input: " + counts.total() + " event(s)", meta);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("via", via);
        meta.put("mode", watch ? "watch" : "control");
        meta.put("seconds", (System.nanoTime() - openedAtNanos) / 1_000_000_000L);
        meta.put("input_events", counts.total());
        event(jobId, "live_view_closed", status, "Live view closed", meta);
    }

    private void event(UUID jobId, String type, String status, String message, Map<String, Object> meta) {
        try {
            jobs.event(new JobEvent(
                    UUID.randomUUID().toString(), jobId.toString(), type, status, status, message, meta, "live_view"));
        } catch (RuntimeException e) {
            log.warn("job {}: {} event not written: {}", jobId, type, e.getMessage());
        }
    }

    /**
     * Resumes the job for its live viewer ({@code resolved_by: live_view}). Returns false when it was
     * not paused any more (resumed by someone else meanwhile) or its workflow cannot take it.
     */
    boolean resume(UUID jobId, String why) {
        try {
            service.resumeByHuman(jobId, new HumanAction("resume", "manual", Map.of(), "live_view", why), why);
            return true;
        } catch (JobStateException | NoLiveWorkflowException e) {
            log.info("job {}: live view resume not done: {}", jobId, e.getMessage());
            return false;
        }
    }

    /** Cancels the job for its live viewer. */
    boolean cancel(UUID jobId) {
        try {
            service.cancelByHuman(
                    jobId, new HumanAction("cancel", "manual", Map.of(), "live_view", "Cancelled from the live view"));
            return true;
        } catch (JobStateException | NoLiveWorkflowException e) {
            log.info("job {}: live view cancel not done: {}", jobId, e.getMessage());
            return false;
        }
    }
}
