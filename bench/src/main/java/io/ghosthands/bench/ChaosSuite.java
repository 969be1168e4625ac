package io.ghosthands.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.PrivatePostgres;
import io.ghosthands.app.support.RealTemporal;
import io.ghosthands.app.support.TestStack;
import io.ghosthands.app.support.TestTemporal;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The chaos suite: real {@code gh worker} and {@code gh api} processes ({@code cli/target/gh.jar})
 * and a real Temporal dev server ({@code temporal server start-dev}, SQLite file) on loopback, one
 * fault injected after another while jobs apply on a loopback application site that counts every
 * application it receives, per job. Per scenario it prints the jobs acknowledged, completed, failed,
 * lost (acknowledged but not finished within the bound, or "completed" without the site having
 * received the application), submitted twice (the site received the same job's application more
 * than once, or the database holds two jobs for one idempotency key) and the time to recover. Any
 * lost or twice-submitted job makes the run exit non-zero.
 *
 * <p>Scenarios, in order: {@code worker-kill} (kill -9 of a worker mid-application, N times, a
 * second worker alive; {@code -Dchaos.worker.kills=N}, default 20), {@code api-kill} (kill -9 of
 * {@code gh api} mid-burst of creates, restarted on the same port), {@code temporal-kill} (kill -9 of
 * the Temporal dev server mid-application, restarted on the same database file), {@code callback-down}
 * (the callback receiver refuses connections for a while), {@code postgres-restart} (on a stack of
 * its own with a private PostgreSQL: a fast shutdown, then a kill -9 of the postmaster, mid-burst of
 * applications, each for {@code -Dchaos.pg.down.seconds}, default 15, then started again on the
 * same port and data). Choose with
 * {@code -Dchaos.scenarios=worker-kill,api-kill,temporal-kill,callback-down,postgres-restart}.
 */
public final class ChaosSuite {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAMESPACE = "chaos";
  /** How long a job's first page takes to answer: the application is mid-way for that long. */
  private static final int SLOW_MS = Integer.getInteger("chaos.slow.ms", 4000);
  /** Every scenario's jobs must be finished this long after its last fault, or they count as lost. */
  private static final Duration SETTLE = Duration.ofSeconds(Integer.getInteger("chaos.settle.seconds", 300));

  /** Proves the suite can fail: the site counts each application twice, so every scenario reports "twice". */
  private static final boolean SELFTEST = Boolean.getBoolean("chaos.selftest");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private static final List<String> results = new ArrayList<>();
  private static boolean failed;

  /** The API the scenario's clients talk to (and the workers call back). */
  private final String apiBase;
  /** {@code DATABASE_URL} of the processes this suite starts. */
  private final String databaseUrl;
  private final String namespace;
  private final RealTemporal temporal;
  private final JdbcTemplate jdbc;
  private final Site site;
  private final Path ghJar;
  private final Path logs;
  private final List<Process> started = new CopyOnWriteArrayList<>();
  /** Live worker processes by worker id. */
  private final Map<String, Process> workers = new ConcurrentHashMap<>();
  private final AtomicInteger workerSeq = new AtomicInteger();

  private ChaosSuite(String apiBase, javax.sql.DataSource dataSource, String databaseUrl, String namespace,
      RealTemporal temporal, Site site, Path ghJar, Path logs) {
    this.apiBase = apiBase;
    this.databaseUrl = databaseUrl;
    this.namespace = namespace;
    this.temporal = temporal;
    this.jdbc = new JdbcTemplate(dataSource);
    this.site = site;
    this.ghJar = ghJar;
    this.logs = logs;
  }

  public static void main(String[] args) throws Exception {
    int kills = Integer.getInteger("chaos.worker.kills", 20);
    List<String> scenarios = List.of(System.getProperty("chaos.scenarios",
        "worker-kill,api-kill,temporal-kill,callback-down,postgres-restart")
        .split(","));
    Path ghJar = locate("cli/target/gh.jar");
    Path logs = Files.createDirectories(Path.of("target", "chaos-" + System.currentTimeMillis()));
    System.out.println("chaos suite " + Instant.now() + ": scenarios " + scenarios + ", worker kills " + kills
        + ", gh " + ghJar + ", process logs in " + logs.toAbsolutePath());
    RealTemporal temporal = RealTemporal.start(NAMESPACE, NAMESPACE + "-pg"); // -pg: postgres-restart's own stack
    Site site = new Site();
    ChaosSuite suite = null;
    try (TestStack stack = TestStack.startOn(temporal.address(), NAMESPACE, GhostHands.Roles.API, Map.of())) {
      suite = new ChaosSuite(stack.api().baseUrl(), stack.dataSource(), stack.database().url().jdbcUrl()
          .replace("jdbc:postgresql://", "postgresql://" + stack.database().url().user() + "@"), NAMESPACE, temporal,
          site, ghJar, logs);
      // the shared stack's workers (postgres-restart runs a stack of its own)
      if (scenarios.stream().anyMatch(sc -> !sc.trim().equals("postgres-restart"))) {
        suite.startWorker();
        suite.startWorker();
      }
      for (String scenario : scenarios) {
        long t0 = System.nanoTime();
        try {
          switch (scenario.trim()) {
            case "worker-kill" -> suite.workerKills(kills);
            case "api-kill" -> suite.apiKill();
            case "temporal-kill" -> suite.temporalKill();
            case "callback-down" -> suite.callbackDown(Integer.getInteger("chaos.callback.down.seconds", 120));
            case "postgres-restart" -> suite.postgresRestart(Integer.getInteger("chaos.pg.down.seconds", 15),
                Integer.getInteger("chaos.pg.jobs", 16));
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
          }
        } catch (Exception | AssertionError e) {
          failed = true;
          String line = String.format("chaos %-14s ERROR after %d s: %s", scenario.trim(),
              TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), e);
          results.add(line);
          System.out.println(line);
          e.printStackTrace(System.out);
        }
      }
    } finally {
      if (suite != null) {
        for (Process p : suite.started) {
          p.destroyForcibly();
        }
      }
      site.close();
      temporal.close();
    }
    System.out.println();
    System.out.println("chaos suite summary (" + Instant.now() + "):");
    results.forEach(System.out::println);
    System.out.println(failed ? "CHAOS SUITE FAILED" : "CHAOS SUITE PASSED");
    System.exit(failed ? 1 : 0);
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 1: kill -9 of a worker mid-application, N times, with a second worker alive

  private void workerKills(int kills) throws Exception {
    Tally tally = new Tally();
    for (int round = 1; round <= kills; round++) {
      // two jobs per round: either may land on the worker that dies
      tally.add(createApply(apiBase, SLOW_MS, null));
      tally.add(createApply(apiBase, SLOW_MS, null));
      String victim = awaitRunningOnLiveWorker(tally.ids(), Duration.ofSeconds(120));
      Thread.sleep(800); // mid-application: its first page is still loading
      List<String> affected = jdbc.queryForList("SELECT id::text FROM gh_automation_jobs WHERE worker_id = ?"
          + " AND status IN ('running','queued','pending') AND id = ANY(?::uuid[])", String.class, victim,
          tally.ids().toArray(String[]::new));
      Instant killedAt = kill9Worker(victim);
      System.out.printf("  worker-kill %d/%d: kill -9 %s with %d job(s) in flight%n", round, kills, victim,
          affected.size());
      tally.fault(killedAt, affected);
      // a supervisor restarts it (as a new incarnation); the next kill waits until two are alive
      startWorker();
    }
    report("worker-kill x" + kills, tally);
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 2: kill -9 of the API process mid-burst of creates

  private void apiKill() throws Exception {
    int port = TestTemporal.freePort();
    String base = "http://127.0.0.1:" + port;
    Process api = startApi(port);
    awaitHealthy(base, Duration.ofSeconds(120));
    Tally tally = new Tally();
    int total = Integer.getInteger("chaos.api.jobs", 60);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger found409 = new AtomicInteger();
    List<Thread> clients = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    for (int c = 0; c < 4; c++) {
      Thread t = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < total) {
          String key = "chaos-api-" + UUID.randomUUID();
          // a client that lost its answer sends the same request again, with the same idempotency key
          while (System.nanoTime() < deadline) {
            try {
              HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/gh/jobs"))
                  .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                  .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                  .POST(HttpRequest.BodyPublishers.ofString(applyBody(site.jobUrl(0), key))).build(),
                  HttpResponse.BodyHandlers.ofString());
              JsonNode json = JSON.readTree(r.body());
              if (r.statusCode() == 201) {
                tally.add(json.path("id").asString());
                break;
              }
              if (r.statusCode() == 409) { // created by an attempt whose answer the kill swallowed
                found409.incrementAndGet();
                tally.addUnacknowledged(json.path("existing_job_id").asString());
                break;
              }
              if (r.statusCode() >= 500 || r.statusCode() == 429) {
                Thread.sleep(200);
                continue;
              }
              throw new IllegalStateException("create answered " + r.statusCode() + ": " + r.body());
            } catch (IOException e) {
              sleepQuietly(200); // the API is down: try again
            } catch (InterruptedException e) {
              return;
            }
          }
          sleepQuietly(50);
        }
      }, "chaos-client-" + c);
      clients.add(t);
      t.start();
    }
    // kill it once a third of the burst is acknowledged, with creates in flight
    while (tally.acknowledged() < total / 3 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    api.destroyForcibly();
    long killedNanos = System.nanoTime();
    Instant killedAt = dbNow();
    api.waitFor(10, TimeUnit.SECONDS);
    int ackedAtKill = tally.acknowledged();
    System.out.printf("  api-kill: kill -9 gh api after %d acknowledged creates%n", ackedAtKill);
    Thread.sleep(1000);
    api = startApi(port);
    awaitHealthy(base, Duration.ofSeconds(120));
    double apiBack = (System.nanoTime() - killedNanos) / 1e9;
    for (Thread t : clients) {
      t.join(TimeUnit.MINUTES.toMillis(4));
    }
    tally.fault(killedAt, List.copyOf(tally.ids()));
    System.out.printf("  api-kill: API answering again %.1f s after the kill; %d create(s) found by idempotency key%n",
        apiBack, found409.get());
    report("api-kill", tally, String.format(" (API answering again after %.1f s)", apiBack));
    api.destroyForcibly();
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 3: kill -9 of the Temporal dev server mid-application, restart on the same file

  private void temporalKill() throws Exception {
    Tally tally = new Tally();
    for (int i = 0; i < 4; i++) {
      tally.add(createApply(apiBase, SLOW_MS + 2000, null));
    }
    awaitRunningOnLiveWorker(tally.ids(), Duration.ofSeconds(120));
    Thread.sleep(800);
    List<String> affected = List.copyOf(tally.ids());
    Instant killedAt = dbNow();
    temporal.kill9();
    System.out.println("  temporal-kill: kill -9 of the Temporal dev server with 4 jobs in flight");
    Thread.sleep(3000);
    temporal.restart();
    tally.fault(killedAt, affected);
    report("temporal-kill", tally);
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 4: the callback receiver is down (connection refused) for a while, then back on its port

  private void callbackDown(int downSeconds) throws Exception {
    int port = TestTemporal.freePort();
    String callback = "http://127.0.0.1:" + port + "/cb";
    // job id -> event ids of its terminal callback as received, in order (repeats included)
    Map<String, List<String>> terminal = new ConcurrentHashMap<>();
    // "job_id status" -> event ids received, every status (running too)
    Map<String, List<String>> all = new ConcurrentHashMap<>();
    Tally tally = new Tally();
    // the receiver is down from the start: every callback of these jobs (running, completed) fails
    for (int i = 0; i < 4; i++) {
      tally.add(createApply(apiBase, 0, null, callback));
    }
    System.out.printf("  callback-down: receiver down for %d s, 4 jobs with its callback_url%n", downSeconds);
    Thread.sleep(TimeUnit.SECONDS.toMillis(downSeconds));
    HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    receiver.createContext("/cb", ex -> {
      JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
      String status = body.path("status").asString();
      if (status.equals("completed") || status.equals("failed") || status.equals("cancelled")) {
        terminal.computeIfAbsent(body.path("job_id").asString(), k -> new CopyOnWriteArrayList<>())
            .add(body.path("event_id").asString());
      }
      all.computeIfAbsent(body.path("job_id").asString() + " " + status, k -> new CopyOnWriteArrayList<>())
          .add(body.path("event_id").asString());
      byte[] ok = "{\"received\":true}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    receiver.start();
    Instant backAt = dbNow();
    long back = System.nanoTime();
    try {
      long until = back + SETTLE.toNanos();
      while (System.nanoTime() < until && !terminal.keySet().containsAll(tally.ids())) {
        Thread.sleep(200);
      }
      double allIn = (System.nanoTime() - back) / 1e9;
      Thread.sleep(10_000); // room for a late repeat to show
      int delivered = 0;
      int lost = 0;
      int twice = 0;
      int repeats = 0;
      for (String id : tally.ids()) {
        List<String> events = terminal.getOrDefault(id, List.of());
        long distinct = events.stream().distinct().count();
        if (distinct == 0) {
          lost++;
          System.out.println("    " + id + ": no terminal callback");
        } else if (distinct > 1) {
          twice++;
          System.out.println("    " + id + ": " + distinct + " different terminal callbacks " + events);
        } else {
          delivered++;
        }
        repeats += events.size() - (int) distinct;
      }
      int callbacks = 0;
      for (Map.Entry<String, List<String>> e : all.entrySet()) {
        long distinct = e.getValue().stream().distinct().count();
        callbacks += (int) distinct;
        boolean isTerminal = List.of("completed", "failed", "cancelled").contains(e.getKey().split(" ")[1]);
        if (!isTerminal) { // (terminal ones are counted above)
          if (distinct > 1) { // one status of one job sent as two different events: not de-duplicable
            twice++;
            System.out.println("    " + e.getKey() + ": " + distinct + " different events " + e.getValue());
          }
          repeats += e.getValue().size() - (int) distinct;
        }
      }
      Integer failedCallbacks = jdbc.queryForObject("SELECT count(*) FROM gh_job_events WHERE event_type = 'callback_failed'"
          + " AND job_id = ANY(?::uuid[])", Integer.class, (Object) tally.ids().toArray(String[]::new));
      boolean pass = lost == 0 && twice == 0;
      failed |= !pass;
      String line = String.format("chaos %-14s jobs %d, callbacks received %d (terminal ones delivered once: %d), lost %d, twice (two"
              + " different events) %d, repeats of one event_id %d, failed attempts while down %d, time to recover"
              + " (receiver back -> last callback in) %.1f s  %s", "callback-down " + downSeconds + "s",
          tally.acknowledged(), callbacks, delivered, lost, twice, repeats, failedCallbacks, allIn, pass ? "PASS" : "FAIL");
      results.add(line);
      System.out.println(line);
    } finally {
      receiver.stop(0);
    }
    report("callback-down jobs", tally);
  }

  // ---------------------------------------------------------------------------------------------
  // scenario 5: PostgreSQL stopped (fast shutdown), then crashed (kill -9 of the postmaster),
  // mid-burst of applications, and started again on the same port and data directory

  /**
   * Runs on a stack of its own: a private PostgreSQL ({@link PrivatePostgres}: its own port and temp
   * data directory, never the machine's shared server), a {@code gh api} process and two {@code gh
   * worker} processes on it, in a Temporal namespace of their own. Two rounds, one per fault.
   */
  private void postgresRestart(int downSeconds, int jobsPerRound) throws Exception {
    String ns = NAMESPACE + "-pg";
    temporal.registerNamespace(ns);
    try (PrivatePostgres pg = PrivatePostgres.start("gh_chaos")) {
      int port = TestTemporal.freePort();
      String base = "http://127.0.0.1:" + port;
      ChaosSuite own = new ChaosSuite(base, pg.dataSource("gh_chaos"), pg.databaseUrl("gh_chaos"), ns, temporal, site,
          ghJar, logs);
      try {
        own.startApi(port);
        awaitHealthy(base, Duration.ofSeconds(180));
        own.startWorker();
        own.startWorker();
        System.out.printf("  postgres-restart: private PostgreSQL on 127.0.0.1:%d, gh api on %d, 2 workers (namespace %s)%n",
            pg.port(), port, ns);
        own.postgresRound(pg, base, false, downSeconds, jobsPerRound);
        own.postgresRound(pg, base, true, downSeconds, jobsPerRound);
      } finally {
        for (Process p : own.started) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private void postgresRound(PrivatePostgres pg, String base, boolean crash, int downSeconds, int total)
      throws Exception {
    String fault = crash ? "kill -9" : "stop -m fast";
    Tally tally = new Tally();
    Map<String, AtomicInteger> answers = new ConcurrentHashMap<>(); // "201", "503", "409", "500", "io", ...
    List<String> bad = new CopyOnWriteArrayList<>(); // 5xx other than 503, non-JSON answers
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean faulted = new AtomicBoolean();
    AtomicBoolean restarted = new AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong startedNanos = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicLong firstCreateAfter = new java.util.concurrent.atomic.AtomicLong();
    long gapMs = Long.getLong("chaos.pg.create.gap.ms", 1500);
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      Thread t = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < total) {
          // the second half of the burst is sent once the fault is in: into the outage
          while (i >= total / 2 && !faulted.get() && System.nanoTime() < deadline) {
            sleepQuietly(50);
          }
          String key = "chaos-pg-" + UUID.randomUUID();
          String body = applyBody(site.jobUrl(SLOW_MS), key);
          // a client that got a 503 or no answer sends the same request again, same idempotency key
          while (System.nanoTime() < deadline) {
            try {
              HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/gh/jobs"))
                  .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                  .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
                  .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
              answers.computeIfAbsent(String.valueOf(r.statusCode()), k -> new AtomicInteger()).incrementAndGet();
              JsonNode json;
              try {
                json = JSON.readTree(r.body());
              } catch (RuntimeException notJson) {
                bad.add(r.statusCode() + " not JSON: " + r.body().substring(0, Math.min(200, r.body().length())));
                Thread.sleep(500);
                continue;
              }
              if (r.statusCode() == 201) {
                tally.add(json.path("id").asString());
                if (restarted.get()) {
                  firstCreateAfter.compareAndSet(0, System.nanoTime());
                }
                break;
              }
              if (r.statusCode() == 409) { // created by an attempt whose answer was lost
                tally.addUnacknowledged(json.path("existing_job_id").asString());
                break;
              }
              if (r.statusCode() == 503 && "database_unavailable".equals(json.path("error").asString())) {
                Thread.sleep(1000);
                continue;
              }
              bad.add(r.statusCode() + " " + r.body());
              if (r.statusCode() >= 500 || r.statusCode() == 429) {
                Thread.sleep(1000);
                continue;
              }
              break; // a 4xx for a valid request: reported as a problem, not retried
            } catch (IOException e) {
              answers.computeIfAbsent("no answer", k -> new AtomicInteger()).incrementAndGet();
              sleepQuietly(500);
            } catch (InterruptedException e) {
              return;
            }
          }
          sleepQuietly(gapMs);
        }
      }, "chaos-pg-client-" + c);
      clients.add(t);
      t.start();
    }
    // the fault: once an application runs on a worker, 0.8 s later (its posting still loading)
    awaitRunningOnLiveWorker(tally.ids(), Duration.ofSeconds(180));
    Thread.sleep(800);
    List<String> affected = List.copyOf(tally.ids());
    Instant faultAt = dbNow();
    long downNanos = System.nanoTime();
    if (crash) {
      pg.kill9();
    } else {
      pg.stopFast();
    }
    faulted.set(true);
    int ackedAtFault = affected.size();
    System.out.printf("  postgres-restart: %s of PostgreSQL with %d job(s) acknowledged, %d to come%n", fault,
        ackedAtFault, total - ackedAtFault);
    Thread.sleep(Math.max(0, TimeUnit.SECONDS.toMillis(downSeconds) - (System.nanoTime() - downNanos) / 1_000_000));
    pg.start();
    startedNanos.set(System.nanoTime());
    restarted.set(true);
    double down = (startedNanos.get() - downNanos) / 1e9;
    // the API's reads work again (its pool reconnects)
    double readsBack = -1;
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < until) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/gh/jobs/" + affected.get(0)))
            .timeout(Duration.ofSeconds(30)).header("X-GH-Service-Key", TestStack.SERVICE_KEY).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          readsBack = (System.nanoTime() - startedNanos.get()) / 1e9;
          break;
        }
        if (r.statusCode() != 503) {
          bad.add("GET job answered " + r.statusCode() + " " + r.body());
        }
      } catch (IOException e) {
        // try again
      }
      Thread.sleep(200);
    }
    for (Thread t : clients) {
      t.join(TimeUnit.MINUTES.toMillis(6));
    }
    tally.fault(faultAt, affected);
    String createsBack = firstCreateAfter.get() == 0 ? "n/a (all created before)"
        : String.format("%.1f s", (firstCreateAfter.get() - startedNanos.get()) / 1e9);
    String tallyOfAnswers = new java.util.TreeMap<>(answers).toString();
    System.out.printf("  postgres-restart %s: down %.1f s; API reads back %.1f s and creates %s after the start;"
        + " create answers %s%n", fault, down, readsBack, createsBack, tallyOfAnswers);
    report("pg " + (crash ? "kill -9" : "stop fast"), tally, String.format(" (PostgreSQL down %.1f s; API reading again"
        + " %.1f s after its start; create answers %s, other 5xx or non-JSON %d)", down, readsBack, tallyOfAnswers,
        bad.size()));
    if (!bad.isEmpty() || readsBack < 0) {
      failed = true;
      String line = String.format("chaos %-14s FAIL: %d answer(s) other than 201/409/503 database_unavailable%s",
          "pg " + fault, bad.size(), readsBack < 0 ? ", the API did not read again within 120 s" : "");
      results.add(line);
      System.out.println(line);
      bad.stream().limit(10).forEach(b -> System.out.println("    " + b));
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Waits for every job to finish (or the bound), then prints and records the scenario's line. */
  private void report(String name, Tally tally) throws InterruptedException {
    report(name, tally, "");
  }

  private void report(String name, Tally tally, String extra) throws InterruptedException {
    long until = System.nanoTime() + SETTLE.toNanos();
    List<String> ids = tally.all();
    while (System.nanoTime() < until) {
      Integer open = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs WHERE id = ANY(?::uuid[])"
          + " AND status NOT IN ('completed','failed','cancelled','expired')", Integer.class,
          (Object) ids.toArray(String[]::new));
      if (open != null && open == 0) {
        break;
      }
      Thread.sleep(500);
    }
    int completed = 0;
    int failedJobs = 0;
    int lost = 0;
    int twice = 0;
    List<String> notes = new ArrayList<>();
    for (String id : ids) {
      List<Map<String, Object>> rows = jdbc.queryForList("SELECT status, error_code, target_url FROM gh_automation_jobs"
          + " WHERE id = ?::uuid", id);
      if (rows.isEmpty()) {
        lost++;
        notes.add(id + ": no row");
        continue;
      }
      String status = (String) rows.get(0).get("status");
      int received = site.received(String.valueOf(rows.get(0).get("target_url")));
      if (received > 1) {
        twice++;
        notes.add(id + ": the site received " + received + " applications");
      }
      switch (status) {
        case "completed" -> {
          if (received == 0) {
            lost++;
            notes.add(id + ": completed but the site received nothing");
          } else {
            completed++;
          }
        }
        case "failed", "cancelled", "expired" -> {
          failedJobs++;
          notes.add(id + ": " + status + " (" + rows.get(0).get("error_code") + "), the site received " + received
              + " application(s)");
        }
        default -> {
          lost++;
          notes.add(id + ": still " + status + " " + SETTLE.toSeconds() + " s after the fault");
        }
      }
    }
    // nothing created twice: one row per idempotency key, one per site URL
    Integer dupKeys = jdbc.queryForObject("SELECT count(*) FROM (SELECT idempotency_key FROM gh_automation_jobs"
        + " WHERE idempotency_key IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d", Integer.class);
    Integer dupUrls = jdbc.queryForObject("SELECT count(*) FROM (SELECT target_url FROM gh_automation_jobs"
        + " WHERE id = ANY(?::uuid[]) GROUP BY 1 HAVING count(*) > 1) d", Integer.class,
        (Object) ids.toArray(String[]::new));
    twice += dupKeys + dupUrls;
    if (dupKeys + dupUrls > 0) {
      notes.add((dupKeys + dupUrls) + " job(s) created twice");
    }
    // time to recover: from each fault to the last of the jobs it hit being finished
    List<Double> recover = new ArrayList<>();
    for (Tally.Fault f : tally.faults) {
      if (f.affected().isEmpty()) {
        continue;
      }
      Double s = jdbc.queryForObject("SELECT extract(epoch FROM max(coalesce(completed_at, updated_at)) - ?::timestamptz)"
          + " FROM gh_automation_jobs WHERE id = ANY(?::uuid[]) AND status IN ('completed','failed','cancelled','expired')",
          Double.class, java.sql.Timestamp.from(f.at()), f.affected().toArray(String[]::new));
      if (s != null) {
        recover.add(s);
      }
    }
    Collections.sort(recover);
    String recovery = recover.isEmpty() ? "n/a" : recover.size() == 1
        ? String.format("%.1f s", recover.get(0))
        : String.format("median %.1f s, max %.1f s over %d faults", recover.get(recover.size() / 2),
            recover.get(recover.size() - 1), recover.size());
    boolean pass = lost == 0 && twice == 0;
    failed |= !pass;
    String line = String.format("chaos %-14s acknowledged %d%s, completed %d, failed %d, lost %d, submitted twice %d,"
            + " time to recover (fault -> last hit job finished) %s%s  %s", name, tally.acknowledged(),
        tally.unacknowledged() > 0 ? " (+" + tally.unacknowledged() + " created without an answer)" : "",
        completed, failedJobs, lost, twice, recovery, extra, pass ? "PASS" : "FAIL");
    results.add(line);
    System.out.println(line);
    notes.stream().limit(20).forEach(n -> System.out.println("    " + n));
  }

  private String awaitRunningOnLiveWorker(List<String> ids, Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      List<String> on = jdbc.queryForList("SELECT worker_id FROM gh_automation_jobs WHERE status = 'running'"
          + " AND id = ANY(?::uuid[]) AND worker_id IS NOT NULL", String.class, (Object) ids.toArray(String[]::new));
      for (String w : on) {
        if (workers.containsKey(w)) {
          return w;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no job of " + ids.size() + " ran on a live worker within " + timeout);
  }

  private Instant kill9Worker(String id) throws InterruptedException {
    Process p = workers.remove(id);
    p.destroyForcibly(); // SIGKILL: no drain, no goodbye
    Instant at = dbNow();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("worker " + id + " survived SIGKILL");
    }
    return at;
  }

  private Instant dbNow() {
    return jdbc.queryForObject("SELECT clock_timestamp()", java.sql.Timestamp.class).toInstant();
  }

  /** Starts {@code gh worker} (2 lanes) as a new process and waits until it has registered. */
  private void startWorker() throws Exception {
    String id = "chaos-w" + workerSeq.incrementAndGet();
    Map<String, String> env = baseEnv();
    env.put("GH_WORKER_PORT", String.valueOf(TestTemporal.freePort()));
    env.put("GH_PUBLIC_URL", apiBase);
    env.put("GH_RETRY_BACKOFF_SECONDS", "1");
    // callbacks retried at most 15 s apart (default 5 min), so the callback-down scenario's recovery
    // measures the delivery, not the backoff's last wait
    env.put("GH_CALLBACK_MAX_INTERVAL", "15s");
    Process p = gh(id, env, "worker", "--worker-id=" + id, "--concurrency=2");
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (System.nanoTime() < until) {
      if (!p.isAlive()) {
        throw new IllegalStateException("worker " + id + " exited; see " + logs.resolve(id + ".log"));
      }
      Integer n = jdbc.queryForObject("SELECT count(*) FROM gh_worker_registry WHERE worker_id = ? AND status = 'active'",
          Integer.class, id);
      if (n != null && n > 0) {
        workers.put(id, p);
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("worker " + id + " did not register within 180 s");
  }

  private Process startApi(int port) throws IOException {
    Map<String, String> env = baseEnv();
    env.put("GH_PORT", String.valueOf(port));
    return gh("api-" + port + "-" + System.nanoTime(), env, "api");
  }

  private Map<String, String> baseEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DATABASE_URL", databaseUrl);
    env.put("TEMPORAL_ADDRESS", temporal.address());
    env.put("TEMPORAL_NAMESPACE", namespace);
    env.put("GH_SERVICE_KEY", TestStack.SERVICE_KEY);
    env.put("GH_ALLOW_PRIVATE_NETWORKS", "true"); // the site is on loopback
    env.put("GH_CHROMIUM_ARGS", TestStack.LOOPBACK_ONLY);
    env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    return env;
  }

  private Process gh(String name, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(new File(System.getProperty("java.home"), "bin/java").getPath(),
        "-Xmx512m", "-jar", ghJar.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(logs.resolve(name + ".log").toFile());
    Process p = builder.start();
    started.add(p);
    return p;
  }

  private static void awaitHealthy(String base, Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/health"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("gh api at " + base + " not healthy within " + timeout);
  }

  private String createApply(String base, int slowMs, String key) throws Exception {
    return createApply(base, slowMs, key, null);
  }

  private String createApply(String base, int slowMs, String key, String callbackUrl) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/gh/jobs"))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .header("X-GH-Service-Key", TestStack.SERVICE_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(applyBody(site.jobUrl(slowMs), key, callbackUrl))).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("create answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body()).path("id").asString();
  }

  private static String applyBody(String url, String key) {
    return applyBody(url, key, null);
  }

  private static String applyBody(String url, String key, String callbackUrl) {
    return "{\"job_type\":\"apply\",\"target_url\":\"" + url + "\",\"max_retries\":3"
        + (callbackUrl == null ? "" : ",\"callback_url\":\"" + callbackUrl + "\"")
        + (key == null ? "" : ",\"idempotency_key\":\"" + key + "\"")
        + ",\"input_data\":{\"user_data\":{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
        + "\"email\":\"ada@example.com\"}}}";
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path locate(String relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(relative);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(relative + " not found: build it first (mvn -DskipTests -pl cli -am package)");
  }

  /** The jobs a scenario created and the faults it injected. */
  private static final class Tally {
    record Fault(Instant at, List<String> affected) {}

    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    private final List<String> unacknowledged = new CopyOnWriteArrayList<>();
    final List<Fault> faults = new CopyOnWriteArrayList<>();

    void add(String id) {
      acknowledged.add(id);
    }

    void addUnacknowledged(String id) {
      unacknowledged.add(id);
    }

    void fault(Instant at, List<String> affected) {
      faults.add(new Fault(at, affected));
    }

    List<String> ids() {
      return acknowledged;
    }

    List<String> all() {
      List<String> all = new ArrayList<>(acknowledged);
      all.addAll(unacknowledged);
      return all;
    }

    int acknowledged() {
      return acknowledged.size();
    }

    int unacknowledged() {
      return unacknowledged.size();
    }
  }

  /**
   * A job posting site on loopback, one posting per job: {@code /job/K?ms=M} answers after M ms and
   * links to {@code /apply/K}, whose form posts to {@code /applied/K}; every POST is counted per K.
   */
  private static final class Site implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger seq = new AtomicInteger();
    private final Map<String, AtomicInteger> applications = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    Site() throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
      server.setExecutor(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "chaos-site");
        t.setDaemon(true);
        return t;
      }));
      server.createContext("/", this::handle);
      server.start();
    }

    String jobUrl(int slowMs) {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/job/" + seq.incrementAndGet() + "?ms=" + slowMs;
    }

    /** Applications received for the posting at {@code jobUrl}. */
    int received(String jobUrl) {
      Matcher m = Pattern.compile("/job/(\\d+)").matcher(jobUrl);
      if (!m.find()) {
        return 0;
      }
      AtomicInteger n = applications.get(m.group(1));
      return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange ex) throws IOException {
      String path = ex.getRequestURI().getPath();
      ex.getRequestBody().readAllBytes();
      String[] parts = path.split("/");
      String k = parts.length > 2 ? parts[2] : "";
      if (path.startsWith("/job/")) {
        Matcher ms = Pattern.compile("ms=(\\d+)").matcher(String.valueOf(ex.getRequestURI().getQuery()));
        if (ms.find()) {
          sleepQuietly(Math.min(60_000, Integer.parseInt(ms.group(1))));
        }
        send(ex, "<!doctype html><html><head><title>Senior Engineer at Acme</title></head><body>"
            + "<h1>Senior Engineer</h1><p>Acme is hiring.</p><a href=\"/apply/" + k + "\">Apply</a></body></html>");
      } else if (path.startsWith("/apply/")) {
        send(ex, "<!doctype html><html><head><title>Apply: Senior Engineer</title></head><body>"
            + "<h1>Apply for Senior Engineer</h1><form method=\"post\" action=\"/applied/" + k + "\">"
            + "<label for=\"fn\">First name *</label><input id=\"fn\" name=\"first_name\" required>"
            + "<label for=\"ln\">Last name *</label><input id=\"ln\" name=\"last_name\" required>"
            + "<label for=\"em\">Email</label><input id=\"em\" name=\"email\" type=\"email\">"
            + "<button type=\"submit\">Submit application</button></form></body></html>");
      } else if (path.startsWith("/applied/")) {
        if ("POST".equals(ex.getRequestMethod())) {
          // -Dchaos.selftest=true counts every application twice: the run must then fail
          applications.computeIfAbsent(k, x -> new AtomicInteger()).addAndGet(SELFTEST ? 2 : 1);
        }
        send(ex, "<!doctype html><html><head><title>Thanks - Acme</title></head><body><h1>Thank you for applying!</h1>"
            + "<p>Your application has been received. Reference: ACME-" + k + "</p></body></html>");
      } else {
        ex.sendResponseHeaders(404, -1);
        ex.close();
      }
    }

    private static void send(HttpExchange ex, String html) throws IOException {
      byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, bytes.length);
      ex.getResponseBody().write(bytes);
      ex.close();
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        server.stop(0);
      }
    }
  }
}
