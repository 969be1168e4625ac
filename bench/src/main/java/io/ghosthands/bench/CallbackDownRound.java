package io.ghosthands.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.app.support.TestTemporal;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** Chaos scenario {@code callback-down}: the callback receiver is down (connection refused) for a while, then back on its port. */
final class CallbackDownRound {

    private static final List<String> TERMINAL = List.of("completed", "failed", "cancelled");

    /** Job id -> event ids of its terminal callback as received, in order (repeats included). */
    private final Map<String, List<String>> terminal = new ConcurrentHashMap<>();
    /** "job_id status" -> event ids received, every status (running too). */
    private final Map<String, List<String>> all = new ConcurrentHashMap<>();

    private final ChaosTally tally = new ChaosTally();
    private int delivered;
    private int lost;
    private int twice;
    private int repeats;
    private int callbacks;

    private CallbackDownRound() {}

    static void run(ChaosHarness h, int downSeconds) throws Exception {
        new CallbackDownRound().run(h, downSeconds, TestTemporal.freePort());
    }

    private void run(ChaosHarness h, int downSeconds, int port) throws Exception {
        String callback = "http://127.0.0.1:" + port + "/cb";
        // the receiver is down from the start: every callback of these jobs (running, completed) fails
        for (int i = 0; i < 4; i++) {
            tally.add(h.createApply(h.apiBase, 0, null, callback));
        }
        System.out.printf("  callback-down: receiver down for %d s, 4 jobs with its callback_url%n", downSeconds);
        Thread.sleep(TimeUnit.SECONDS.toMillis(downSeconds));
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        receiver.createContext("/cb", this::receive);
        receiver.start();
        long back = System.nanoTime();
        try {
            long until = back + ChaosHarness.SETTLE.toNanos();
            while (System.nanoTime() < until && !terminal.keySet().containsAll(tally.ids())) {
                Thread.sleep(200);
            }
            double allIn = (System.nanoTime() - back) / 1e9;
            Thread.sleep(10_000); // room for a late repeat to show
            countTerminal();
            countOthers();
            Integer failedCallbacks = h.jdbc.queryForObject(
                    "SELECT count(*) FROM gh_job_events WHERE event_type = 'callback_failed'"
                            + " AND job_id = ANY(?::uuid[])",
                    Integer.class,
                    (Object) tally.ids().toArray(String[]::new));
            boolean pass = lost == 0 && twice == 0;
            ChaosReport.verdict(pass);
            ChaosReport.record(String.format(
                    "chaos %-14s jobs %d, callbacks received %d (terminal ones delivered once: %d), lost %d, twice (two"
                            + " different events) %d, repeats of one event_id %d, failed attempts while down %d, time to recover"
                            + " (receiver back -> last callback in) %.1f s  %s",
                    "callback-down " + downSeconds + "s",
                    tally.acknowledged(),
                    callbacks,
                    delivered,
                    lost,
                    twice,
                    repeats,
                    failedCallbacks,
                    allIn,
                    pass ? "PASS" : "FAIL"));
        } finally {
            receiver.stop(0);
        }
        ChaosReport.report(h, "callback-down jobs", tally);
    }

    private void receive(HttpExchange ex) throws IOException {
        JsonNode body = ChaosHarness.JSON.readTree(ex.getRequestBody().readAllBytes());
        String status = body.path("status").asString();
        if (TERMINAL.contains(status)) {
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
    }

    /** Each job's terminal callback: delivered once, lost, or sent as two different events. */
    private void countTerminal() {
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
    }

    /** Every callback received; the non-terminal ones checked as the terminal ones are above. */
    private void countOthers() {
        for (Map.Entry<String, List<String>> e : all.entrySet()) {
            long distinct = e.getValue().stream().distinct().count();
            callbacks += (int) distinct;
            boolean isTerminal = TERMINAL.contains(e.getKey().split(" ")[1]);
            if (!isTerminal) { // (terminal ones are counted above)
                if (distinct > 1) { // one status of one job sent as two different events: not de-duplicable
                    twice++;
                    System.out.println("    " + e.getKey() + ": " + distinct + " different events " + e.getValue());
                }
                repeats += e.getValue().size() - (int) distinct;
            }
        }
    }
}
