package io.ghosthands.bench;

import com.sun.management.OperatingSystemMXBean;
import io.ghosthands.activities.net.OutboundUrlPolicy;
import io.ghosthands.activities.store.JobInserts;
import io.ghosthands.activities.store.NewJob;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.api.JobInput;
import io.ghosthands.app.jobs.JobRepository;
import io.ghosthands.app.support.TestStack;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Job creation throughput: 16 concurrent clients POST /api/v1/gh/jobs against the API (each job
 * written, its workflow started on Temporal, marked queued), next to 16 threads doing a bare JDBC
 * insert of the same rows into the same table through the API's own connection pool, in the same
 * run, alternately. Jobs target a worker that does not exist, so they are accepted and dispatched
 * but no browser runs.
 *
 * <p>Measured in a steady state: on two cores the JIT compiler needs minutes of load before it stops
 * competing with the server for CPU (the first rounds run at a third of the final rate), so warm-up
 * rounds go on until a round spends under a tenth of its time compiling, twice in a row. The clients
 * are plain kept-alive HTTP/1.1 connections ({@link KeepAliveClient}) so that generating the load
 * takes as little as possible of the two cores.
 */
public final class CreateThroughputBench {

    static final int CLIENTS = 16;
    static final int ROUNDS = 3;

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 10_000; // a measured round
        try (TestStack stack = TestStack.start(
                "throughput",
                GhostHands.Roles.API,
                Map.of(
                        "gh.db-pool",
                        20,
                        "spring.datasource.hikari.maximum-pool-size",
                        24,
                        "server.tomcat.threads.max",
                        64))) {
            String base = stack.api().baseUrl();
            String body = "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/bench\","
                    + "\"task_description\":\"throughput\",\"target_worker_id\":\"bench-sink\"}";
            ThreadLocal<KeepAliveClient> clients =
                    ThreadLocal.withInitial(() -> new KeepAliveClient(base, TestStack.SERVICE_KEY));
            JdbcTemplate jdbc = new JdbcTemplate(stack.dataSource());
            DataSource ds = stack.bean(DataSource.class); // the API's own connection pool
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            Job create = () -> {
                KeepAliveClient.Answer a = clients.get().post("/api/v1/gh/jobs", body);
                if (a.status() != 201 || !a.body().contains("\"id\"")) {
                    throw new IllegalStateException("create failed: " + a.status() + " " + a.body());
                }
            };
            Job insert = () -> insert(ds);
            Job apiInsert = apiInsert(stack, body);

            warmUp(pool, jdbc, create, insert);
            Rounds rounds = new Rounds();
            for (int r = 0; r < ROUNDS; r++) {
                rounds.run(r, pool, jdbc, jobs, create, insert, apiInsert);
            }
            pool.shutdown();
            report(jdbc, jobs, rounds);
        }
        System.exit(0);
    }

    /**
     * The API's own write of a new job (the row and its job_created event, one statement), parsed
     * from the same body, without HTTP and Temporal.
     */
    private static Job apiInsert(TestStack stack, String body) {
        JobRepository repository = stack.bean(JobRepository.class);
        NewJob parsed = JobInput.newJob(JobInput.parseObject(body), "jdbc", new OutboundUrlPolicy(true, List.of()));
        return () -> repository.insert(new JobInserts.Insert(UUID.randomUUID(), parsed, UUID.randomUUID(), "{}"));
    }

    /** Warm-up rounds until a round spends under a tenth of its time compiling, twice in a row (or the bound). */
    private static void warmUp(ExecutorService pool, JdbcTemplate jdbc, Job create, Job insert) throws Exception {
        int warmJobs = 3000; // a warm-up round
        int maxWarmUps = Integer.getInteger("bench.throughput.warmups", 40);
        int settled = 0;
        for (int w = 1; w <= maxWarmUps && settled < 2; w++) {
            long jit0 = jitMillis();
            long t = System.nanoTime();
            run(pool, warmJobs, create);
            awaitDispatched(jdbc);
            double seconds = (System.nanoTime() - t) / 1e9;
            double compiling = (jitMillis() - jit0) / 1e3 / seconds;
            settled = compiling < 0.1 ? settled + 1 : 0;
            System.out.printf(
                    "warm-up %2d: %4.0f jobs/s, JIT compiling %3.0f %% of the round%n",
                    w, warmJobs / seconds, 100 * compiling);
            run(pool, warmJobs / 10, insert);
        }
    }

    /** The measured rounds: rates and CPU per job, and the create latencies of the middle round. */
    private static final class Rounds {
        final double[] accepted = new double[ROUNDS];
        final double[] dispatched = new double[ROUNDS];
        final double[] bare = new double[ROUNDS];
        final double[] apiWrite = new double[ROUNDS];
        final double[] cpuPg = new double[ROUNDS];
        final double[] cpuAll = new double[ROUNDS];
        final double[] cpuJvm = new double[ROUNDS];
        long[] latencies;

        void run(int r, ExecutorService pool, JdbcTemplate jdbc, int jobs, Job create, Job insert, Job apiInsert)
                throws Exception {
            long pg0 = postgresTicks();
            long[] machine0 = machineTicks();
            long jvm0 = jvmCpuNanos();
            long t = System.nanoTime();
            long[] lat = CreateThroughputBench.run(pool, jobs, create);
            accepted[r] = jobs / ((System.nanoTime() - t) / 1e9);
            awaitDispatched(jdbc);
            dispatched[r] = jobs / ((System.nanoTime() - t) / 1e9);
            cpuAll[r] = (machineTicks()[0] - machine0[0]) * 10.0 / jobs; // ticks are 10 ms
            cpuJvm[r] = (jvmCpuNanos() - jvm0) / 1e6 / jobs;
            cpuPg[r] = (postgresTicks() - pg0) * 10.0 / jobs;
            if (r == ROUNDS / 2) {
                latencies = lat;
            }
            long t1 = System.nanoTime();
            CreateThroughputBench.run(pool, jobs, insert);
            bare[r] = jobs / ((System.nanoTime() - t1) / 1e9);
            long t2 = System.nanoTime();
            CreateThroughputBench.run(pool, jobs, apiInsert);
            apiWrite[r] = jobs / ((System.nanoTime() - t2) / 1e9);
            System.out.printf(
                    "round %d: accepted %4.0f/s, dispatched %4.0f/s, bare JDBC %5.0f rows/s, the API's insert"
                            + " alone %5.0f/s; CPU per job %.2f ms (this JVM %.2f, PostgreSQL %.2f)%n",
                    r + 1, accepted[r], dispatched[r], bare[r], apiWrite[r], cpuAll[r], cpuJvm[r], cpuPg[r]);
        }
    }

    private static void report(JdbcTemplate jdbc, int jobs, Rounds rounds) {
        Long queued = jdbc.queryForObject(
                "SELECT count(*) FROM gh_automation_jobs WHERE status = 'queued' AND created_by = 'api'", Long.class);
        Long all = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs WHERE created_by = 'api'", Long.class);
        long[] latencies = rounds.latencies;
        Arrays.sort(latencies);
        System.out.println();
        System.out.printf(
                "create throughput, %d concurrent clients, %d jobs a round, median of %d rounds%n",
                CLIENTS, jobs, ROUNDS);
        System.out.printf(
                "  POST /jobs accepted (durably written):                   %6.0f jobs/s   p50 %5.1f ms   p99 %5.1f ms%n",
                median(rounds.accepted), latencies[jobs / 2] / 1e6, latencies[(int) Math.ceil(jobs * 0.99) - 1] / 1e6);
        System.out.printf(
                "  accepted and dispatched (workflow started, row queued):  %6.0f jobs/s%n", median(rounds.dispatched));
        System.out.printf(
                "  bare JDBC INSERT of the same row:                        %6.0f rows/s%n", median(rounds.bare));
        System.out.printf(
                "  the API's own insert (row + job_created event) over JDBC: %5.0f jobs/s%n", median(rounds.apiWrite));
        System.out.printf("  ratio API / bare JDBC: %.2f%n", median(rounds.dispatched) / median(rounds.bare));
        System.out.printf(
                "  CPU per dispatched job: %.2f ms in all, this JVM (API, Temporal, load) %.2f ms, PostgreSQL %.2f ms"
                        + "   (queued: %d of %d)%n",
                median(rounds.cpuAll), median(rounds.cpuJvm), median(rounds.cpuPg), queued, all);
        System.out.println();
    }

    interface Job {
        void call() throws Exception;
    }

    /** Waits until no API-created job is still pending (every workflow started). */
    private static void awaitDispatched(JdbcTemplate jdbc) throws InterruptedException {
        while (jdbc.queryForObject(
                        "SELECT count(*) FROM gh_automation_jobs WHERE status = 'pending' AND created_by = 'api'",
                        Long.class)
                > 0) {
            Thread.sleep(50);
        }
    }

    private static void insert(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO gh_automation_jobs (id, job_type, target_url, task_description, target_worker_id, created_by)"
                                + " VALUES (?, 'scrape', 'http://127.0.0.1:9/bench', 'throughput', 'bench-sink', 'jdbc')")) {
            ps.setObject(1, UUID.randomUUID());
            ps.executeUpdate();
        }
    }

    /** Runs {@code n} calls over the pool's {@link #CLIENTS} threads; returns each call's nanoseconds. */
    private static long[] run(ExecutorService pool, int n, Job job) throws Exception {
        long[] out = new long[n];
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            threads.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    long start = System.nanoTime();
                    job.call();
                    out[i] = System.nanoTime() - start;
                }
                return null;
            }));
        }
        for (Future<?> f : threads) {
            f.get();
        }
        return out;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** Machine-wide [busy, total] clock ticks (10 ms) from /proc/stat. */
    static long[] machineTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= 8; i++) {
            if (i != 4 && i != 5) { // idle, iowait
                busy += Long.parseLong(f[i]);
            }
        }
        return new long[] {busy, busy + Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    /** CPU clock ticks (10 ms) used so far by every PostgreSQL process on this machine. */
    static long postgresTicks() throws IOException {
        long sum = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    if (stat.contains("(postgres)")) {
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        sum += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        }
        return sum;
    }

    static long jvmCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
