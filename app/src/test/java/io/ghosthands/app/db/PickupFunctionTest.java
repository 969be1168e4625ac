package io.ghosthands.app.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.TestDatabase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@code gh_pickup_next_job} behaves exactly as contract section 1 says. */
class PickupFunctionTest {

    private static TestDatabase db;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void database() {
        db = TestDatabase.create("pickup");
        jdbc = new JdbcTemplate(db.dataSource());
    }

    @BeforeEach
    void empty() {
        jdbc.update("DELETE FROM gh_automation_jobs");
    }

    private UUID job(String target, int priority, Instant createdAt, Instant scheduledAt, String status) {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO gh_automation_jobs (id, job_type, target_url, task_description, priority,"
                        + " target_worker_id, created_at, scheduled_at, status) VALUES (?, 'custom', 'http://x', 't', ?, ?, ?, ?, ?)",
                id,
                priority,
                target,
                Timestamp.from(createdAt),
                scheduledAt == null ? null : Timestamp.from(scheduledAt),
                status);
        return id;
    }

    private UUID job(String target, int priority, Instant createdAt) {
        return job(target, priority, createdAt, null, "pending");
    }

    private UUID pickup(String workerId) {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM gh_pickup_next_job(?)", workerId);
        return rows.isEmpty() ? null : (UUID) rows.get(0).get("id");
    }

    @Test
    void aWorkerNeverGetsAJobTargetedAtAnotherWorker() {
        Instant t = Instant.now().minusSeconds(60);
        job("sarah", 1, t);
        job("sarah", 5, t.plusSeconds(1));

        assertThat(pickup("adam")).isNull();
        assertThat(pickup("worker-auto-1")).isNull();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM gh_automation_jobs WHERE status = 'pending'", Integer.class))
                .isEqualTo(2);
    }

    @Test
    void untargetedJobsGoToAnyone() {
        Instant t = Instant.now().minusSeconds(60);
        UUID a = job(null, 5, t);
        UUID b = job(null, 5, t.plusSeconds(1));

        assertThat(pickup("adam")).isEqualTo(a);
        assertThat(pickup("worker-auto-1")).isEqualTo(b);
        assertThat(pickup("anyone")).isNull();
    }

    @Test
    void claimedRowsAreRunningOnTheCallerAndNotClaimableAgain() {
        UUID a = job(null, 5, Instant.now().minusSeconds(5));

        assertThat(pickup("adam")).isEqualTo(a);
        Map<String, Object> row = jdbc.queryForMap(
                "SELECT status, worker_id, started_at, last_heartbeat FROM gh_automation_jobs WHERE id = ?", a);
        assertThat(row.get("status")).isEqualTo("running");
        assertThat(row.get("worker_id")).isEqualTo("adam");
        assertThat(row.get("started_at")).isNotNull();
        assertThat(row.get("last_heartbeat")).isNotNull();
        assertThat(pickup("sarah")).isNull();
    }

    @Test
    void targetedFirstThenPriorityAscendingThenOldestFirst() {
        Instant t = Instant.now().minusSeconds(600);
        UUID sharedUrgentOld = job(null, 1, t);
        UUID sharedUrgentNew = job(null, 1, t.plusSeconds(10));
        UUID sharedLow = job(null, 9, t.minusSeconds(100));
        UUID mineLow = job("adam", 9, t.plusSeconds(50));
        UUID mineUrgent = job("adam", 2, t.plusSeconds(60));

        List<UUID> order = new ArrayList<>();
        UUID next;
        while ((next = pickup("adam")) != null) {
            order.add(next);
        }
        assertThat(order).containsExactly(mineUrgent, mineLow, sharedUrgentOld, sharedUrgentNew, sharedLow);
    }

    @Test
    void futureScheduledJobsAreSkippedAndPastOnesTaken() {
        Instant now = Instant.now();
        job(null, 1, now.minusSeconds(60), now.plusSeconds(3600), "pending");
        UUID due = job(null, 5, now.minusSeconds(30), now.minusSeconds(1), "pending");

        assertThat(pickup("adam")).isEqualTo(due);
        assertThat(pickup("adam")).isNull();
    }

    @Test
    void onlyPendingAndQueuedJobsAreCandidates() {
        Instant t = Instant.now().minusSeconds(60);
        for (String status : List.of("running", "paused", "completed", "failed", "cancelled", "expired")) {
            job(null, 1, t, null, status);
        }
        UUID queued = job(null, 5, t.plusSeconds(1), null, "queued");

        assertThat(pickup("adam")).isEqualTo(queued);
        assertThat(pickup("adam")).isNull();
    }

    @Test
    void eightConcurrentCallersNeverClaimTheSameRow() throws Exception {
        Instant t = Instant.now().minusSeconds(600);
        Set<UUID> all = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            all.add(job(i % 4 == 0 ? "adam" : null, 1 + i % 10, t.plusMillis(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<UUID>>> callers = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            String worker = c == 0 ? "adam" : "worker-" + c;
            Callable<List<UUID>> caller = () -> {
                go.await();
                List<UUID> mine = new ArrayList<>();
                UUID id;
                while ((id = pickup(worker)) != null) {
                    mine.add(id);
                }
                return mine;
            };
            callers.add(pool.submit(caller));
        }
        go.countDown();
        List<UUID> claimed = Collections.synchronizedList(new ArrayList<>());
        for (Future<List<UUID>> f : callers) {
            claimed.addAll(f.get());
        }
        pool.shutdown();

        Set<UUID> targetedAtAdam = new HashSet<>(
                jdbc.queryForList("SELECT id FROM gh_automation_jobs WHERE target_worker_id = 'adam'", UUID.class));
        assertThat(new HashSet<>(claimed)).hasSize(claimed.size()); // no row twice
        // every untargeted row was claimed by someone; adam's rows only ever by adam
        assertThat(jdbc.queryForList(
                        "SELECT worker_id FROM gh_automation_jobs WHERE target_worker_id = 'adam'"
                                + " AND worker_id IS NOT NULL",
                        String.class))
                .containsOnly("adam");
        assertThat(claimed)
                .containsAll(
                        all.stream().filter(id -> !targetedAtAdam.contains(id)).toList());
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM gh_automation_jobs WHERE status = 'running'", Integer.class))
                .isEqualTo(claimed.size());
    }
}
