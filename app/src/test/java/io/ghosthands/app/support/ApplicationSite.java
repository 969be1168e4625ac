package io.ghosthands.app.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job site on loopback for application jobs: the apply engine's ATS fixtures
 * ({@code activities/src/test/resources/ats}, e.g. {@code /greenhouse.html}), a plain
 * {@value #QUICK_APPLY} form that asks for no more than VALET's profile holds, and a confirmation
 * for every form POSTed to a path ending in {@code /submit}. Each submission is kept as sent
 * (multipart bodies with the uploaded files' bytes) for the tests to read. Tests add routes of their
 * own with {@link #route}.
 */
public final class ApplicationSite implements AutoCloseable {

    /** Names, e-mail (optional), phone, LinkedIn and a required résumé upload, in one multipart form. */
    public static final String QUICK_APPLY = "/quick-apply";
    /** The confirmation number the confirmation page shows. */
    public static final String CONFIRMATION = "GH-48213";

    private static final Path ATS =
            Path.of("../activities/src/test/resources/ats").toAbsolutePath().normalize();
    private static final byte[] QUICK_APPLY_PAGE =
            ("<!doctype html><html><head><title>Apply: Senior Engineer at Acme</title>"
                            + "</head><body><h1>Senior Engineer</h1><h2>Apply for this job</h2>"
                            + "<form id=\"application_form\" action=\"/quick-apply/submit\" method=\"post\" enctype=\"multipart/form-data\">"
                            + "<p><label for=\"first_name\">First Name *</label><input id=\"first_name\" name=\"first_name\" required></p>"
                            + "<p><label for=\"last_name\">Last Name *</label><input id=\"last_name\" name=\"last_name\" required></p>"
                            + "<p><label for=\"email\">Email</label><input id=\"email\" name=\"email\" type=\"email\"></p>"
                            + "<p><label for=\"phone\">Phone</label><input id=\"phone\" name=\"phone\" type=\"tel\"></p>"
                            + "<p><label for=\"linkedin\">LinkedIn Profile</label><input id=\"linkedin\" name=\"linkedin\"></p>"
                            + "<p><label for=\"resume\">Resume/CV *</label>"
                            + "<input id=\"resume\" name=\"resume\" type=\"file\" accept=\".pdf,.doc,.docx\" required></p>"
                            + "<p><input type=\"submit\" id=\"submit_app\" value=\"Submit Application\"></p>"
                            + "</form></body></html>")
                    .getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();
    private final List<Submission> submissions = new CopyOnWriteArrayList<>();
    private volatile boolean silent;

    public ApplicationSite() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "application-site");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** A form as the site received it. */
    public record Submission(String path, String contentType, byte[] body) {

        /** The body as text, byte for byte (ISO-8859-1), for "contains" checks. */
        public String text() {
            return new String(body, StandardCharsets.ISO_8859_1);
        }

        /** One part of a multipart body: a field or an uploaded file. */
        public record Part(String name, String filename, String contentType, byte[] bytes) {
            public String value() {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }

        /** The multipart part named {@code name}, if the form sent one. */
        public Optional<Part> part(String name) {
            return parts().stream().filter(p -> p.name().equals(name)).findFirst();
        }

        /** The parts of a {@code multipart/form-data} body, in order; empty for any other body. */
        public List<Part> parts() {
            Matcher boundary =
                    Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(contentType == null ? "" : contentType);
            if (!boundary.find()) {
                return List.of();
            }
            byte[] delimiter = ("--" + boundary.group(1)).getBytes(StandardCharsets.ISO_8859_1);
            List<Part> parts = new ArrayList<>();
            int at = indexOf(body, delimiter, 0);
            while (at >= 0) {
                int start = at + delimiter.length;
                if (start + 1 < body.length && body[start] == '-' && body[start + 1] == '-') {
                    break; // the closing delimiter
                }
                start += 2; // CRLF after the delimiter
                int next = indexOf(body, delimiter, start);
                if (next < 0) {
                    break;
                }
                int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start);
                String headers = new String(body, start, headersEnd - start, StandardCharsets.ISO_8859_1);
                byte[] content = Arrays.copyOfRange(body, headersEnd + 4, next - 2); // CRLF before the delimiter
                parts.add(new Part(
                        param(headers, "name"), param(headers, "filename"), header(headers, "Content-Type"), content));
                at = next;
            }
            return parts;
        }

        private static String param(String headers, String name) {
            Matcher m = Pattern.compile("(?i)[; ]" + name + "=\"([^\"]*)\"").matcher(headers);
            return m.find() ? m.group(1) : null;
        }

        private static String header(String headers, String name) {
            for (String line : headers.split("\r\n")) {
                if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }

        private static int indexOf(byte[] data, byte[] needle, int from) {
            outer:
            for (int i = from; i + needle.length <= data.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (data[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Answers {@code path} (exactly) with {@code handler}, before the site's own pages. */
    public void route(String path, HttpHandler handler) {
        routes.put(path, handler);
    }

    /** With {@code true}, submissions are taken but answered with a page that confirms nothing. */
    public void silent(boolean silent) {
        this.silent = silent;
    }

    /** The forms submitted so far, oldest first. */
    public List<Submission> submissions() {
        return List.copyOf(submissions);
    }

    /** Forgets the submissions and confirms again. */
    public void reset() {
        submissions.clear();
        silent = false;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        HttpHandler route = routes.get(path);
        if (route != null) {
            route.handle(ex);
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        if ("POST".equals(ex.getRequestMethod()) && path.endsWith("/submit")) {
            submissions.add(new Submission(path, ex.getRequestHeaders().getFirst("Content-Type"), body));
            if (silent) {
                send(
                        ex,
                        200,
                        "text/html",
                        "<!doctype html><html><head><title>Acme</title></head><body><p>Loading…</p></body></html>"
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            send(
                    ex,
                    200,
                    "text/html",
                    ("<!doctype html><html><head><title>Acme - Application</title></head><body>"
                                    + "<div id=\"application_confirmation\"><h1>Thank you for applying.</h1>"
                                    + "<p>Your application has been received. Confirmation #" + CONFIRMATION
                                    + "</p></div></body></html>")
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.equals(QUICK_APPLY)) {
            send(ex, 200, "text/html; charset=utf-8", QUICK_APPLY_PAGE);
            return;
        }
        Path file = ATS.resolve(path.substring(1)).normalize();
        if (!file.startsWith(ATS) || !Files.isRegularFile(file)) {
            send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 200, "text/html; charset=utf-8", Files.readAllBytes(file));
    }

    /** Answers with {@code bytes}, typed {@code type}. */
    public static void send(HttpExchange ex, int status, String type, byte[] bytes) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
