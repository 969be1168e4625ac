package io.ghosthands.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chaos suite's job posting site on loopback, one posting per job: {@code /job/K?ms=M} answers
 * after M ms and links to {@code /apply/K}, whose form posts to {@code /applied/K}; every POST is
 * counted per K.
 */
final class ChaosSite implements AutoCloseable {

    /** Proves the suite can fail: the site counts each application twice, so every scenario reports "twice". */
    private static final boolean SELFTEST = Boolean.getBoolean("chaos.selftest");

    private final HttpServer server;
    private final AtomicInteger seq = new AtomicInteger();
    private final Map<String, AtomicInteger> applications = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    ChaosSite() throws IOException {
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
            Matcher ms = Pattern.compile("ms=(\\d+)")
                    .matcher(String.valueOf(ex.getRequestURI().getQuery()));
            if (ms.find()) {
                ChaosHarness.sleepQuietly(Math.min(60_000, Integer.parseInt(ms.group(1))));
            }
            send(
                    ex,
                    "<!doctype html><html><head><title>Senior Engineer at Acme</title></head><body>"
                            + "<h1>Senior Engineer</h1><p>Acme is hiring.</p><a href=\"/apply/" + k
                            + "\">Apply</a></body></html>");
        } else if (path.startsWith("/apply/")) {
            send(
                    ex,
                    "<!doctype html><html><head><title>Apply: Senior Engineer</title></head><body>"
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
            send(
                    ex,
                    "<!doctype html><html><head><title>Thanks - Acme</title></head><body><h1>Thank you for applying!</h1>"
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
