package io.ghosthands.activities.engine.apply;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.testsupport.FormBodies;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves {@code src/test/resources/ats} on loopback and records every submission a fixture makes
 * ({@code POST /<site>/submit}: url-encoded, multipart or JSON), field by field; uploaded files are
 * recorded by file name. Answers like the real sites do: a confirmation page or JSON.
 */
final class AtsFixtureServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Path root = Path.of("src/test/resources/ats").toAbsolutePath();
    private final Map<String, List<Map<String, Object>>> submissions = new ConcurrentHashMap<>();
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    AtsFixtureServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    List<Map<String, Object>> submissions(String site) {
        return submissions.getOrDefault(site, List.of());
    }

    void reset() {
        submissions.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (ex.getRequestMethod().equals("POST") && path.endsWith("/submit")) {
            String site = path.substring(1, path.indexOf('/', 1));
            Map<String, Object> fields = parse(ex);
            submissions
                    .computeIfAbsent(site, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(fields);
            switch (site) {
                case "greenhouse" ->
                    send(
                            ex,
                            200,
                            "text/html",
                            "<!doctype html><html><head><title>Acme - Application</title></head><body>"
                                    + "<div id=\"application_confirmation\"><h1>Thank you for applying.</h1>"
                                    + "<p>Your application has been received. Confirmation #GH-48213</p></div></body></html>");
                case "lever" ->
                    send(
                            ex,
                            200,
                            "text/html",
                            "<!doctype html><html><head><title>Globex - Application submitted</title></head>"
                                    + "<body><div class=\"section page-centered\"><h3>Application submitted!</h3>"
                                    + "<p>Thanks for applying to Globex. We've received your application and will be in touch.</p></div></body></html>");
                case "ashby" -> send(ex, 200, "application/json", "{\"id\":\"ASH-20931\"}");
                default -> send(ex, 200, "application/json", "{\"reference\":\"WD-2024-7731\"}");
            }
            return;
        }
        if (ex.getRequestMethod().equals("POST") && path.equals("/lever/parse")) {
            ex.getRequestBody().readAllBytes();
            try {
                Thread.sleep(400); // a résumé parser takes its time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(
                    ex,
                    200,
                    "application/json",
                    "{\"name\":\"J. Doe\",\"email\":\"jdoe@oldmail.example\",\"org\":\"Initrode\"}");
            return;
        }
        String name = path.equals("/") ? "index.html" : path.substring(1);
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            send(ex, 404, "text/plain", "not found");
            return;
        }
        send(ex, 200, "text/html; charset=utf-8", Files.readString(file));
    }

    private static Map<String, Object> parse(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
        Map<String, Object> out = new LinkedHashMap<>();
        if (type.startsWith("application/json")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(body, Map.class);
            out.putAll(m);
        } else if (type.startsWith("multipart/form-data")) {
            // a file part reads as its file's name; repeated names (checkbox groups) are kept together, in page order
            for (FormBodies.Part part : FormBodies.multipart(type, body)) {
                out.merge(
                        part.name(), part.filename() != null ? part.filename() : part.value(), (a, b) -> a + ", " + b);
            }
        } else {
            out.putAll(FormBodies.urlEncoded(body));
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
