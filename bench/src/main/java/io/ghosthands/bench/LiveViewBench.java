package io.ghosthands.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.app.GhostHands;
import io.ghosthands.app.support.ApiClient;
import io.ghosthands.app.support.TestStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Live view latency on loopback, measured where a person sits: at the live page's socket
 * ({@code /live/<job id>/ws}, spoken as live.html speaks it — docs/live-view.md), through the whole
 * path (job's Chromium → screencast → worker relay → API → viewer, and back for input).
 *
 * <ul>
 *   <li><b>frame latency</b> (page change → frame at the viewer): a job pauses on a challenge page
 *       whose big block takes a new colour every {@value #CHANGE_MS} ms; the page reports the
 *       change's {@code Date.now()} to this bench's loopback server (same machine clock); the viewer
 *       decodes every frame, samples the block and, when a new colour shows, latency = receive time −
 *       change time.</li>
 *   <li><b>input latency</b> (viewer click → page reacts): the viewer sends mousePressed/Released at
 *       the block's normalised place at t0; the page's mousedown handler reports its
 *       {@code Date.now()}; latency = page time − t0. The challenge (reCAPTCHA frame and "I'm not a
 *       robot") stays on the page throughout, so the job stays paused.</li>
 * </ul>
 */
public final class LiveViewBench {

    static final int CHANGE_MS = 400;
    static final int WARM_UP = 5;
    static final double FRAME_TARGET_MS = 150;
    static final double INPUT_TARGET_MS = 100;
    // the block, in the page's CSS pixels
    static final int BX = 400, BY = 60, BW = 480, BH = 360;
    static final int[][] COLOURS = {
        {230, 25, 25},
        {25, 200, 25},
        {25, 25, 230},
        {240, 220, 20},
        {220, 20, 220},
        {20, 210, 220},
        {20, 20, 20},
        {250, 140, 0}
    };

    static final Map<Integer, Long> changes = new ConcurrentHashMap<>();
    static final Map<Integer, Long> downs = new ConcurrentHashMap<>();
    static final AtomicBoolean stopChanging = new AtomicBoolean();

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 100;
        HttpServer site = startSite();
        String base = "http://127.0.0.1:" + site.getAddress().getPort();
        try (TestStack stack = TestStack.start("bench-live", GhostHands.Roles.DEV, Map.of())) {
            ApiClient api = stack.api();
            String id = createPausedJob(api, base);
            String live = awaitLiveUrl(api, id);
            URI link = URI.create(live);
            LiveViewer viewer = new LiveViewer();
            WebSocket ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(
                            URI.create(
                                    "ws://" + link.getRawAuthority() + link.getRawPath() + "/ws?" + link.getRawQuery()),
                            viewer)
                    .get(10, TimeUnit.SECONDS);
            viewer.ws = ws;

            double[] frame = frameLatency(viewer, samples);
            stopChanging.set(true);
            Thread.sleep(2 * CHANGE_MS);
            double[] input = inputLatency(viewer, samples);
            String status =
                    api.get("/api/v1/gh/jobs/" + id).json().path("status").asString();
            print(viewer, frame, input, status);
            ws.abort();
            api.post("/api/v1/gh/jobs/" + id + "/cancel", "{}");
        } finally {
            site.stop(0);
        }
        System.exit(0);
    }

    /** The loopback site: the challenge page, its widget, where the page reports changes and clicks, a callback receiver. */
    private static HttpServer startSite() throws IOException {
        HttpServer site = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        site.setExecutor(Executors.newFixedThreadPool(4));
        site.createContext("/challenge", ex -> send(ex, "text/html", page()));
        site.createContext("/widget", ex -> send(ex, "text/html", "<html><body>widget</body></html>"));
        site.createContext("/changed", ex -> {
            Map<String, String> q = query(ex);
            changes.put(Integer.parseInt(q.get("i")), Long.parseLong(q.get("t")));
            send(ex, "text/plain", stopChanging.get() ? "stop" : "go");
        });
        // a job pauses for a human only when it has somewhere to say so
        site.createContext("/cb", ex -> {
            ex.getRequestBody().readAllBytes();
            send(ex, "application/json", "{\"received\":true}");
        });
        site.createContext("/down", ex -> {
            Map<String, String> q = query(ex);
            downs.put(Integer.parseInt(q.get("n")), Long.parseLong(q.get("t")));
            send(ex, "text/plain", "ok");
        });
        site.start();
        return site;
    }

    /** A job on the challenge page, with a callback so that it pauses for a human; its id. */
    private static String createPausedJob(ApiClient api, String base) {
        ApiClient.Answer created = api.post(
                "/api/v1/gh/jobs",
                "{\"job_type\":\"custom\",\"target_url\":\"" + base
                        + "/challenge\",\"task_description\":\"bench\",\"callback_url\":\"" + base + "/cb\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("job not created: " + created.status() + " " + created.json());
        }
        return created.json().path("id").asString();
    }

    /** The job's live_url once it has paused; throws when it ends without one. */
    private static String awaitLiveUrl(ApiClient api, String id) {
        String live = api.awaitJob(
                        id,
                        j -> j.path("interaction_data").path("live_url").isString() || ApiClient.terminal(j),
                        Duration.ofSeconds(120))
                .path("interaction_data")
                .path("live_url")
                .asString();
        if (live == null || live.isEmpty()) {
            throw new IllegalStateException("the job did not pause with a live_url: "
                    + api.get("/api/v1/gh/jobs/" + id).json());
        }
        return live;
    }

    private static void print(LiveViewer viewer, double[] frame, double[] input, String status) {
        List<String> out = new ArrayList<>();
        out.add("live view latency, " + Instant.now() + " (" + machine() + ")");
        out.add(line("frame latency (page change -> frame at the viewer)", frame, FRAME_TARGET_MS)
                + String.format(
                        ", %d frames received (%s JPEG, %.0f KB on average)",
                        viewer.frames.get(),
                        viewer.size,
                        viewer.jpegBytes.get() / 1024.0 / Math.max(1, viewer.frames.get())));
        out.add(line("input latency (viewer mousePressed -> page mousedown)", input, INPUT_TARGET_MS));
        out.add("job still paused after the clicks: " + "paused".equals(status) + " (" + status + ")");
        System.out.println();
        out.forEach(System.out::println);
        System.out.println();
    }

    static String line(String what, double[] ms, double target) {
        Arrays.sort(ms);
        double p50 = pct(ms, 0.5);
        return String.format(
                "%s, %d samples: p50 %.0f ms, p90 %.0f ms, max %.0f ms; target p50 <= %.0f ms: %s",
                what, ms.length, p50, pct(ms, 0.9), ms[ms.length - 1], target, p50 <= target ? "met" : "MISSED");
    }

    /** Waits for colours to show at the viewer: one latency per change seen. */
    static double[] frameLatency(LiveViewer viewer, int samples) throws InterruptedException {
        long until = System.nanoTime()
                + Duration.ofSeconds(30L + samples * CHANGE_MS * 3L / 1000).toNanos();
        int skipped = 0;
        int last = -1;
        double[] ms = new double[samples];
        int n = 0;
        while (n < samples) {
            LiveViewer.Seen seen = viewer.seen.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (seen == null) {
                throw new IllegalStateException(
                        "only " + n + " colour changes seen at the viewer (" + viewer.frames.get() + " frames)");
            }
            if (last < 0) {
                Thread.sleep(CHANGE_MS / 2); // its report in
                // the first colour seen: the latest change to it so far, counted from there on
                for (int c : changes.keySet()) {
                    if (c % COLOURS.length == seen.colour() && c > last) {
                        last = c;
                    }
                }
                continue;
            }
            // the first change after the last one counted that has this colour (its report may still be on its way)
            int change = last + 1;
            while (change % COLOURS.length != seen.colour()) {
                change++;
            }
            long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!changes.containsKey(change) && System.nanoTime() < wait) {
                Thread.sleep(1);
            }
            Long changedAt = changes.get(change);
            if (changedAt == null || changedAt > seen.atMillis()) {
                throw new IllegalStateException(
                        "colour " + seen.colour() + " at the viewer matches no change (after " + last + ")");
            }
            last = change;
            if (skipped++ < WARM_UP) {
                continue;
            }
            ms[n++] = seen.atMillis() - changedAt;
        }
        return ms;
    }

    /** Clicks the block through the live page's protocol, one at a time, about 150 ms apart. */
    static double[] inputLatency(LiveViewer viewer, int samples) throws Exception {
        double nx = (BX + BW / 2.0) / viewer.w, ny = (BY + BH / 2.0) / viewer.h;
        double[] ms = new double[samples];
        int base = downs.size();
        for (int i = -WARM_UP; i < samples; i++) {
            int expected = base + i + WARM_UP + 1;
            long t0 = System.currentTimeMillis();
            viewer.send("{\"t\":\"mouse\",\"type\":\"mousePressed\",\"x\":" + nx + ",\"y\":" + ny
                    + ",\"button\":\"left\",\"clickCount\":1,\"modifiers\":0}");
            viewer.send("{\"t\":\"mouse\",\"type\":\"mouseReleased\",\"x\":" + nx + ",\"y\":" + ny
                    + ",\"button\":\"left\",\"clickCount\":1,\"modifiers\":0}");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!downs.containsKey(expected)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "click " + expected + " never reached the page (errors: " + viewer.errors + ")");
                }
                Thread.sleep(1);
            }
            if (i >= 0) {
                ms[i] = downs.get(expected) - t0;
            }
            Thread.sleep(150);
        }
        return ms;
    }

    /** The challenge page: the reCAPTCHA frame and text stay; the block changes colour; mousedowns are reported. */
    static String page() {
        StringBuilder colours = new StringBuilder();
        for (int[] c : COLOURS) {
            colours.append(colours.length() == 0 ? "" : ",")
                    .append("'rgb(")
                    .append(c[0])
                    .append(',')
                    .append(c[1])
                    .append(',')
                    .append(c[2])
                    .append(")'");
        }
        return "<!doctype html><html><head><title>Apply: Site Reliability Engineer</title><style>"
                + "body{margin:0;font:16px sans-serif;background:#fff} #block{position:absolute;left:" + BX + "px;top:"
                + BY
                + "px;width:" + BW + "px;height:" + BH + "px;background:rgb(128,128,128)}</style></head><body>"
                + "<h1 style='margin:8px'>Apply</h1><div style='font:13px serif;color:#333;margin:8px'>" + filler()
                + "</div>"
                + "<div class='g-recaptcha' data-sitekey='k' style='position:absolute;left:20px;"
                + "top:120px;width:304px;height:78px;background:#fff'><iframe title='reCAPTCHA' src='/widget' width='300' height='74'></iframe></div>"
                + "<p style='position:absolute;left:20px;top:220px;width:340px;background:#fff'>Please verify you are human: I'm not a robot</p>"
                + "<div id='block'></div><script>"
                + "const colours=[" + colours + "]; const block=document.getElementById('block'); let i=0, n=0;"
                + "const timer=setInterval(()=>{ i++; block.style.background=colours[i%colours.length];"
                + " fetch('/changed?i='+i+'&t='+Date.now()).then(r=>r.text()).then(t=>{ if(t==='stop') clearInterval(timer); });"
                + "}, " + CHANGE_MS + ");"
                + "block.addEventListener('mousedown',()=>{ n++; fetch('/down?n='+n+'&t='+Date.now()); });"
                + "</script></body></html>";
    }

    /**
     * A screenful of small text behind the block and the challenge, as a job posting has: the frames
     * then weigh what a real page's do (tens of KB), not what a blank page's would.
     */
    static String filler() {
        String[] words = ("we are looking for an engineer to join our platform team you will design build and operate"
                        + " services that process millions of events a day with care for reliability cost and the people on call"
                        + " requirements five years of experience with distributed systems java or go postgres kubernetes benefits"
                        + " remote first flexible hours learning budget health insurance equity")
                .split(" ");
        Random random = new Random(16);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2200; i++) {
            text.append(words[random.nextInt(words.length)]).append(i % 97 == 96 ? ".</p><p>" : " ");
        }
        return "<p>" + text + "</p>";
    }

    static String machine() {
        String load = "";
        try {
            String[] avg = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            load = avg[0] + " " + avg[1] + " " + avg[2];
        } catch (IOException e) {
            load = "?";
        }
        return Runtime.getRuntime().availableProcessors() + " cores, load " + load + ", Java "
                + System.getProperty("java.version") + ", " + chromium();
    }

    static String chromium() {
        try {
            Process p = new ProcessBuilder("/usr/bin/chromium", "--version")
                    .redirectErrorStream(true)
                    .start();
            String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .trim()
                    .split("\n");
            p.waitFor(10, TimeUnit.SECONDS);
            // Debian's wrapper script may print a complaint first: the version is the last line
            return lines[lines.length - 1].isBlank() ? "Chromium ?" : lines[lines.length - 1].trim();
        } catch (IOException | InterruptedException e) {
            return "Chromium ?";
        }
    }

    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        for (String kv : String.valueOf(ex.getRequestURI().getRawQuery()).split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                q.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        return q;
    }

    static void send(HttpExchange ex, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    static double pct(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * p) - 1)];
    }
}
