package io.ghosthands.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ghosthands.activities.testsupport.FormBodies;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.ObjectMapper;

/**
 * The apply bench's fixture sites on loopback: the pages of {@code activities/src/test/resources/ats},
 * the résumé at {@code /resume.pdf}, and every submission kept field by field (multipart forms and the
 * JSON posts of the single-page sites alike).
 */
final class ApplyFixtureSite implements AutoCloseable {

    private static final Path ATS = locate();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, String>> submissions = new CopyOnWriteArrayList<>();
    private final Path resume;
    private final HttpServer server;

    ApplyFixtureSite(Path resume) throws IOException {
        this.resume = resume;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The submissions received since the last {@link #clearSubmissions()}, in order. */
    List<Map<String, String>> submissions() {
        return submissions;
    }

    void clearSubmissions() {
        submissions.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (path.equals("/resume.pdf")) {
            send(ex, "application/pdf", Files.readAllBytes(resume));
            return;
        }
        String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
        if ("POST".equals(ex.getRequestMethod()) && path.endsWith("/submit") && type.startsWith("application/json")) {
            // the single-page sites (Workday, Ashby) post JSON and show the reference they get back
            Map<String, String> fields = new LinkedHashMap<>();
            JSON.readTree(body)
                    .properties()
                    .forEach(e -> fields.put(e.getKey(), e.getValue().asString()));
            submissions.add(fields);
            send(
                    ex,
                    "application/json",
                    (path.startsWith("/ashby") ? "{\"id\":\"ASH-20931\"}" : "{\"reference\":\"WD-2024-7731\"}")
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        if ("POST".equals(ex.getRequestMethod()) && path.endsWith("/submit")) {
            submissions.add(multipart(body, type));
            send(
                    ex,
                    "text/html",
                    ("<!doctype html><title>Application</title><h1>Thank you for applying.</h1>"
                                    + "<p>Application submitted. Confirmation #B-1</p>")
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        Path file = ATS.resolve(path.substring(1)).normalize();
        if (!file.startsWith(ATS) || !Files.isRegularFile(file)) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        send(ex, "text/html; charset=utf-8", Files.readAllBytes(file));
    }

    /** Field name → value of a multipart body; file parts read "file", repeated names joined with ", ". */
    private static Map<String, String> multipart(byte[] body, String type) {
        Map<String, String> out = new LinkedHashMap<>();
        for (FormBodies.Part part : FormBodies.multipart(type, body)) {
            out.merge(part.name(), part.isFile() ? "file" : part.value(), (a, b) -> a + ", " + b);
        }
        return out;
    }

    private static void send(HttpExchange ex, String type, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private static Path locate() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("activities/src/test/resources/ats");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("activities/src/test/resources/ats not found");
    }
}
