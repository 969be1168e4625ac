package io.ghosthands.app.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Pages for the browser to open, served on loopback. */
public final class TestPages implements AutoCloseable {

    public static final String JOB_TITLE = "Senior Engineer at Acme";

    private final HttpServer server;
    private final AtomicInteger submissions = new AtomicInteger();

    public TestPages() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-pages");
            t.setDaemon(true);
            return t;
        }));
        page(
                "/job",
                200,
                "<!doctype html><html><head><title>" + JOB_TITLE + "</title></head><body>"
                        + "<h1>Senior Engineer</h1><p>Acme is hiring.</p><a href=\"/apply\">Apply</a></body></html>");
        // the posting's application form: names required, the rest optional; the answer thanks
        page(
                "/apply",
                200,
                "<!doctype html><html><head><title>Apply: Senior Engineer</title></head><body>"
                        + "<h1>Apply for Senior Engineer</h1><form method=\"post\" action=\"/applied\">"
                        + "<label for=\"fn\">First name *</label><input id=\"fn\" name=\"first_name\" required>"
                        + "<label for=\"ln\">Last name *</label><input id=\"ln\" name=\"last_name\" required>"
                        + "<label for=\"em\">Email</label><input id=\"em\" name=\"email\" type=\"email\">"
                        + "<label for=\"cl\">Cover letter</label><textarea id=\"cl\" name=\"cover\"></textarea>"
                        + "<button type=\"submit\">Submit application</button></form></body></html>");
        byte[] applied = ("<!doctype html><html><head><title>Thanks - Acme</title></head><body>"
                        + "<h1>Thank you for applying!</h1><p>Your application has been received. Reference: ACME-7</p></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/applied", ex -> {
            if ("POST".equals(ex.getRequestMethod())) {
                submissions.incrementAndGet();
            }
            send(ex, 200, applied);
        });
        // the posting of /job, answered after ?ms= milliseconds (at most 60000): an application that
        // stays in its first browser step for a known time
        server.createContext("/slow-job", ex -> {
            sleep(delayOf(ex.getRequestURI().getQuery()));
            send(
                    ex,
                    200,
                    ("<!doctype html><html><head><title>" + JOB_TITLE + "</title></head><body>"
                                    + "<h1>Senior Engineer</h1><a href=\"/apply\">Apply</a></body></html>")
                            .getBytes(StandardCharsets.UTF_8));
        });
        page("/blank", 200, "<!doctype html><html><head><title>blank</title></head><body></body></html>");
        page("/gone", 404, "<!doctype html><html><head><title>Not found</title></head><body>404</body></html>");
        // never answers in time: a job on it stays in its browser step until cancelled
        server.createContext("/slow", ex -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        // answers after ?ms= milliseconds (default 5000, at most 60000): a job that stays in its browser
        // step for a known, bounded time
        server.createContext("/delayed", ex -> {
            sleep(delayOf(ex.getRequestURI().getQuery()));
            send(
                    ex,
                    200,
                    "<!doctype html><html><head><title>Delayed</title></head><body>late</body></html>"
                            .getBytes(StandardCharsets.UTF_8));
        });
        // answers once the test opens the gate named by ?name= (or after a minute): a job that stays
        // in its browser step exactly as long as a test needs it to, however slow the machine is
        server.createContext("/gate", ex -> {
            String query = ex.getRequestURI().getQuery();
            String name = query != null && query.startsWith("name=") ? query.substring(5) : "";
            try {
                gate(name).await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(
                    ex,
                    200,
                    ("<!doctype html><html><head><title>Gate " + name + "</title></head><body>open</body></html>")
                            .getBytes(StandardCharsets.UTF_8));
        });
        // the first request per URL hangs for a minute, later ones answer at once: a job whose first
        // attempt is still in its browser step whenever it is stopped, and whose retry finishes quickly
        Set<String> stalled = ConcurrentHashMap.newKeySet();
        server.createContext("/stalls-once", ex -> {
            if (stalled.add(ex.getRequestURI().toString())) {
                sleep(60_000);
            }
            send(
                    ex,
                    200,
                    "<!doctype html><html><head><title>Stalled once</title></head><body>here now</body></html>"
                            .getBytes(StandardCharsets.UTF_8));
        });
        // fails with 500 on its first request per path, then works: for retries
        Set<String> seen = ConcurrentHashMap.newKeySet();
        server.createContext("/flaky", ex -> {
            boolean first = seen.add(ex.getRequestURI().toString());
            byte[] body = ("<html><head><title>" + (first ? "Oops" : "Recovered") + "</title></head></html>")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(first ? 500 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        // the real-world blocker pages of ../shared/fixtures/blockers
        server.createContext("/fixtures/", ex -> {
            String name = ex.getRequestURI().getPath().substring("/fixtures/".length());
            Path file = blockerFixtures().resolve(name);
            if (name.contains("/") || !Files.isRegularFile(file)) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().set("Location", "/job");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.start();
    }

    private final ConcurrentHashMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    private CountDownLatch gate(String name) {
        return gates.computeIfAbsent(name, n -> new CountDownLatch(1));
    }

    /** The URL of a page that answers once {@link #open(String)} is called with {@code name}. */
    public String gateUrl(String name) {
        return url("/gate?name=" + name);
    }

    /** Lets the requests waiting at gate {@code name} (and every later one) have their page. */
    public void open(String name) {
        gate(name).countDown();
    }

    /** How many applications were POSTed to {@code /applied}. */
    public int submissions() {
        return submissions.get();
    }

    private static long delayOf(String query) {
        return query != null && query.startsWith("ms=") ? Math.min(60_000, Long.parseLong(query.substring(3))) : 5000;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private void page(String path, int status, String html) {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        server.createContext(path, ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
    }

    /** {@code shared/fixtures/blockers} beside the checkout; an error (not a skip) when missing. */
    public static Path blockerFixtures() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("fixtures").resolve("blockers");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/fixtures/blockers not found beside the checkout");
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
