package io.ghosthands.app.jobs;

import io.ghosthands.activities.store.JobInserts;
import io.ghosthands.app.config.GhProperties;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Writes new jobs together (group commit). Each create waits for its own row to be durably written,
 * as before, but the jobs that arrive while a write is under way are written by the next one, in one
 * statement and one commit: under load a handful of writers turn hundreds of single-row transactions
 * a second into a few dozen multi-row ones, which is most of what the database spends on a new job.
 * Alone, a job is written at once, as it would be on the request thread.
 *
 * <p>If a shared write fails, each of its jobs is written again on its own, so that one job's failure
 * is only that job's. A writer never holds a job it has taken: when the API stops, the writers write
 * what is queued before they end, and a create that comes after that writes on its own thread.
 */
@Component
public class JobWriter {

    private static final Logger log = LoggerFactory.getLogger(JobWriter.class);

    /** The most jobs one statement writes. */
    static final int MAX_BATCH = 64;

    private final JobRepository jobs;
    private final int writers;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    /** A job waiting to be written, and how its creator hears of it. */
    record Pending(JobInserts.Insert row, CompletableFuture<Optional<OffsetDateTime>> done) {}

    private final AtomicLong statements = new AtomicLong();

    public JobWriter(JobRepository jobs, GhProperties properties) {
        this.jobs = jobs;
        this.writers = Math.max(1, properties.getApi().getCreateWriters());
    }

    @PostConstruct
    void start() {
        running = true;
        for (int i = 0; i < writers; i++) {
            Thread t = new Thread(this::writeLoop, "job-writer-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Writes what is queued, then stops the writers. */
    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            t.join(10_000);
        }
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        writeEach(rest);
    }

    /**
     * Writes the job (row and {@code job_created} event) and returns once it is committed: its
     * {@code created_at}, or empty when its idempotency key is taken.
     */
    public Optional<OffsetDateTime> write(JobInserts.Insert row) {
        if (!running) {
            return jobs.insert(row);
        }
        Pending pending = new Pending(row, new CompletableFuture<>());
        queue.add(pending);
        if (!running && queue.remove(pending)) {
            return jobs.insert(row); // stopped meanwhile; nobody will take it
        }
        try {
            return pending.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // the writer still writes it; the caller gives up waiting, as it would mid-statement
            throw new IllegalStateException("interrupted while its job was being written", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return; // stop() writes what is left
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                writeTogether(batch);
            } catch (Throwable t) {
                // never leave a creator waiting for ever: whatever was not answered fails now
                for (Pending p : batch) {
                    p.done().completeExceptionally(t);
                }
                log.error("writing {} new job(s) failed", batch.size(), t);
            }
            batch.clear();
        }
    }

    /** How many insert statements the writers have sent (a job alone is one; a shared write is one). */
    long statements() {
        return statements.get();
    }

    void writeTogether(List<Pending> batch) {
        if (batch.size() == 1) {
            writeEach(batch);
            return;
        }
        Map<UUID, OffsetDateTime> written;
        try {
            statements.incrementAndGet();
            written = jobs.insertAll(batch.stream().map(Pending::row).toList());
        } catch (RuntimeException e) {
            log.debug("a write of {} jobs failed, writing each alone: {}", batch.size(), e.toString());
            writeEach(batch);
            return;
        }
        for (Pending p : batch) {
            p.done().complete(Optional.ofNullable(written.get(p.row().id())));
        }
    }

    private void writeEach(List<Pending> batch) {
        for (Pending p : batch) {
            try {
                statements.incrementAndGet();
                p.done().complete(jobs.insert(p.row()));
            } catch (RuntimeException e) {
                p.done().completeExceptionally(e);
            }
        }
    }
}
