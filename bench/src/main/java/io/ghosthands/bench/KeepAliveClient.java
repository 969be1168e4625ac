package io.ghosthands.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A load generator's HTTP/1.1 client: one kept-alive connection, one request at a time, blocking
 * reads, nothing else. The JDK's HttpClient hands every exchange between a selector thread and an
 * executor; on two cores shared with the server under test that alone took a sixth of the CPU a
 * create cost. This one costs about what the socket writes and reads cost. Not thread-safe: one per
 * client thread.
 */
final class KeepAliveClient implements AutoCloseable {

    /** An answer: the status code and the body as text. */
    record Answer(int status, String body) {}

    private final String host;
    private final int port;
    private final String headers;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** For requests to {@code baseUrl} (http only) carrying {@code serviceKey}. */
    KeepAliveClient(String baseUrl, String serviceKey) {
        URI uri = URI.create(baseUrl);
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.headers = "Host: " + host + ":" + port + "\r\nX-GH-Service-Key: " + serviceKey
                + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n";
    }

    Answer post(String path, String body) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\n" + headers + "Content-Length: " + payload.length + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        if (socket == null) {
            connect();
        }
        out.write(head);
        out.write(payload);
        out.flush();
        return read();
    }

    private void connect() throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private Answer read() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ")) {
            throw new IOException("not an HTTP/1.1 answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean close = false;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                chunked = value.equalsIgnoreCase("chunked");
            } else if (name.equalsIgnoreCase("Connection")) {
                close = value.equalsIgnoreCase("close");
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        if (chunked) {
            for (int size = Integer.parseInt(line().split(";")[0].trim(), 16);
                    size > 0;
                    size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line();
            }
            line(); // the empty line after the last chunk (no trailers are sent)
        } else if (length >= 0) {
            body.write(in.readNBytes(length));
        } else {
            throw new IOException("answer without a length");
        }
        if (close) {
            close();
        }
        return new Answer(code, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
            socket = null;
        }
    }
}
