package io.ghosthands.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resume latency on the embedded stack: from {@code POST /valet/resume} to the {@code resumed}
 * callback arriving at a receiver on loopback, over N pauses (each job meets a one-time-code page,
 * pauses, and is resumed with a code). The number is what VALET sees between the human's click and
 * the job moving on.
 */
public final class ResumeLatencyBench {

    public static void main(String[] args) throws Exception {
        int pauses = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 50;
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        HttpServer pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        pages.createContext("/2fa", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("Location", "/done");
                ex.sendResponseHeaders(303, -1);
                ex.close();
                return;
            }
            send(
                    ex,
                    "<!doctype html><title>Verify</title><h1>Two-step verification</h1><p>Enter the verification"
                            + " code we sent you.</p><form method=post action=/2fa><input name=otp autocomplete=one-time-code"
                            + " maxlength=6><button>Verify</button></form>");
        });
        pages.createContext("/done", ex -> send(ex, "<!doctype html><title>Done</title><h1>Welcome</h1>"));
        pages.createContext("/cb", ex -> {
            long now = System.nanoTime();
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String job = field(body, "job_id");
            String status = field(body, "status");
            arrivals.putIfAbsent(job + "/" + status, now);
            send(ex, "{\"received\":true}");
        });
        pages.start();
        String base = "http://127.0.0.1:" + pages.getAddress().getPort();
        List<String> results = new ArrayList<>();
        try {
            for (String target : BenchTemporal.targets()) {
                try (TestStack stack = BenchTemporal.start(target, "bench-resume-" + target)) {
                    ApiClient api = stack.api();
                    String body = "{\"job_type\":\"custom\",\"target_url\":\"" + base
                            + "/2fa\",\"task_description\":\"bench\"," + "\"callback_url\":\"" + base + "/cb\"}";
                    run(api, body, arrivals, 5); // warm-up
                    double[] ms = run(api, body, arrivals, pauses);
                    Arrays.sort(ms);
                    String result = String.format(
                            "resume -> 'resumed' callback received, %d pauses, %s: p50 %.1f ms, p90 %.1f ms,"
                                    + " p99 %.1f ms, max %.1f ms",
                            pauses,
                            BenchTemporal.describe(target),
                            pct(ms, 0.5),
                            pct(ms, 0.9),
                            pct(ms, 0.99),
                            ms[ms.length - 1]);
                    System.out.println(result);
                    results.add(result);
                }
            }
            System.out.println();
            results.forEach(System.out::println);
            System.out.println();
        } finally {
            pages.stop(0);
        }
        System.exit(0);
    }

    private static double[] run(ApiClient api, String body, Map<String, Long> arrivals, int n) throws Exception {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            ApiClient.Answer created = api.post("/api/v1/gh/jobs", body);
            String id = created.json().path("id").asString();
            await(arrivals, id + "/needs_human");
            long t0 = System.nanoTime();
            ApiClient.Answer resumed = api.post(
                    "/api/v1/gh/valet/resume/" + id,
                    "{\"resolution_type\":\"code_entry\",\"resolution_data\":{\"code\":\"123456\"}}");
            if (resumed.status() != 200) {
                throw new IllegalStateException("resume failed: " + resumed.status() + " " + resumed.json());
            }
            long arrived = await(arrivals, id + "/resumed");
            ms[i] = (arrived - t0) / 1e6;
            api.awaitJob(id, ApiClient::terminal, Duration.ofSeconds(60));
        }
        return ms;
    }

    private static long await(Map<String, Long> arrivals, String key) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Long at = arrivals.get(key);
            if (at != null) {
                return at;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no callback " + key);
    }

    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"");
        if (i < 0) {
            return "";
        }
        int start = i + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    private static void send(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/html");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static double pct(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }
}
