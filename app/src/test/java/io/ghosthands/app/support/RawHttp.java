package io.ghosthands.app.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a plain socket, byte for byte: for requests that {@link java.net.http.HttpClient}
 * refuses to send (a bad percent-encoding in the path, invalid UTF-8, odd headers). One request per
 * connection ({@code Connection: close}).
 */
public final class RawHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String host;
    private final int port;

    public RawHttp(String baseUrl) {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort();
    }

    /** Where requests go. */
    public record Target(String host, int port) {}

    public Target target() {
        return new Target(host, port);
    }

    /** An answer: status, headers (names lower-cased, the last of a repeated one), body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as JSON when it is labelled JSON and parses, else null. */
        public JsonNode json() {
            String type = header("content-type");
            if (type == null || !type.contains("json") || body.length == 0) {
                return null;
            }
            try {
                return JSON.readTree(body);
            } catch (RuntimeException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    /**
     * Sends {@code method target} with the given header lines (each "Name: value") and body; adds
     * Host, Connection: close and a Content-Length when there is a body.
     */
    public Answer send(String method, String target, byte[] body, String... headers) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        StringBuilder h = new StringBuilder();
        h.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        h.append("Host: ").append(host).append(':').append(port).append("\r\n");
        h.append("Connection: close\r\n");
        boolean hasLength = false;
        for (String line : headers) {
            h.append(line).append("\r\n");
            hasLength |= line.toLowerCase(Locale.ROOT).startsWith("content-length:")
                    || line.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:");
        }
        if (body != null && !hasLength) {
            h.append("Content-Length: ").append(body.length).append("\r\n");
        }
        h.append("\r\n");
        head.writeBytes(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            head.writeBytes(body);
        }
        return exchange(head.toByteArray());
    }

    /** Sends {@code request} exactly as given (request line, headers and all) and reads the answer. */
    public Answer exchange(byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null) {
            throw new IOException("no answer");
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (String size = line(in); size != null; size = line(in)) {
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    break;
                }
                body.writeBytes(in.readNBytes(n));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.writeBytes(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            body.writeBytes(in.readAllBytes());
        }
        return new Answer(status, headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
