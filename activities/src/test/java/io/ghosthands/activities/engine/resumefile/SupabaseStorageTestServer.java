package io.ghosthands.activities.engine.resumefile;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Supabase Storage's download route on loopback, as a worker meets it: {@code GET
 * /storage/v1/object/{bucket}/{path}} with {@code Authorization: Bearer <service role key>}, and
 * Supabase's JSON errors: a missing or malformed token is HTTP 400 with {@code statusCode} 400 or
 * 403 in the body, a wrongly signed one HTTP 403, a missing object HTTP 404
 * ({@code {"statusCode":"404","error":"not_found","message":"Object not found"}}), a missing bucket
 * HTTP 400 with {@code statusCode} 404 (as older Supabase releases answer). Every request is kept
 * for the tests to look at.
 */
public final class SupabaseStorageTestServer implements AutoCloseable {

    /** Shaped like a Supabase service-role JWT (header.payload.signature); not a real one. */
    public static final String SERVICE_ROLE_KEY =
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c3VwYWJhc2Utc2VjcmV0LXNpZ25hdHVyZQ";

    private static final String PREFIX = "/storage/v1/object/";

    /** What a request carried. */
    public record Request(String method, String rawPath, String authorization, String apikey) {}

    private record StoredObject(byte[] bytes, String contentType, boolean chunked) {}

    private final HttpServer server;
    private final Map<String, Map<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private SupabaseStorageTestServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "supabase-storage-test");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
    }

    /** Starts a server holding the given (empty) buckets. */
    public static SupabaseStorageTestServer start(String... bucketNames) {
        SupabaseStorageTestServer s = new SupabaseStorageTestServer();
        for (String bucket : bucketNames) {
            s.buckets.put(bucket, new ConcurrentHashMap<>());
        }
        s.server.start();
        return s;
    }

    /** {@code http://127.0.0.1:<port>}: what {@code SUPABASE_URL} would be. */
    public String url() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                + server.getAddress().getPort();
    }

    /** The configuration a worker would have for {@code bucket} here. */
    public SupabaseResumeStore.Config config(String bucket) {
        return new SupabaseResumeStore.Config(url(), SERVICE_ROLE_KEY, bucket);
    }

    /** Stores {@code bytes} at {@code path} in {@code bucket}, served with a Content-Length. */
    public void put(String bucket, String path, byte[] bytes, String contentType) {
        buckets.get(bucket).put(path, new StoredObject(bytes, contentType, false));
    }

    /** Stores {@code bytes}, served chunked: the size shows only while streaming. */
    public void putChunked(String bucket, String path, byte[] bytes, String contentType) {
        buckets.get(bucket).put(path, new StoredObject(bytes, contentType, true));
    }

    /** Every request so far, oldest first. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange ex) throws IOException {
        String raw = ex.getRequestURI().getRawPath();
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        requests.add(new Request(
                ex.getRequestMethod(), raw, auth, ex.getRequestHeaders().getFirst("apikey")));
        if (!raw.startsWith(PREFIX) || !"GET".equals(ex.getRequestMethod())) {
            json(ex, 404, "404", "not_found", "Route not found");
            return;
        }
        if (auth == null) {
            json(ex, 400, "400", "Error", "headers must have required property 'authorization'");
            return;
        }
        String token = auth.startsWith("Bearer ") ? auth.substring(7) : "";
        if (!token.equals(SERVICE_ROLE_KEY)) {
            if (token.split("\\.").length == 3) {
                json(ex, 403, "403", "Unauthorized", "invalid signature");
            } else {
                json(ex, 400, "403", "Unauthorized", "jwt malformed");
            }
            return;
        }
        String rest = raw.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String bucket = decode(slash < 0 ? rest : rest.substring(0, slash));
        Map<String, StoredObject> objects = buckets.get(bucket);
        if (objects == null) {
            json(ex, 400, "404", "Bucket not found", "Bucket not found");
            return;
        }
        StringBuilder path = new StringBuilder();
        for (String segment : (slash < 0 ? "" : rest.substring(slash + 1)).split("/", -1)) {
            path.append(path.length() == 0 ? "" : "/").append(decode(segment));
        }
        StoredObject object = objects.get(path.toString());
        if (object == null) {
            json(ex, 404, "404", "not_found", "Object not found");
            return;
        }
        ex.getResponseHeaders().set("Content-Type", object.contentType());
        ex.sendResponseHeaders(200, object.chunked() ? 0 : object.bytes().length);
        try (OutputStream out = ex.getResponseBody()) {
            for (int i = 0; i < object.bytes().length; i += 64 * 1024) {
                out.write(object.bytes(), i, Math.min(64 * 1024, object.bytes().length - i));
            }
        } catch (IOException e) {
            // the client hung up on purpose (size limit)
        } finally {
            ex.close();
        }
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange ex, int http, String statusCode, String error, String message)
            throws IOException {
        byte[] body = ("{\"statusCode\":\"" + statusCode + "\",\"error\":\"" + error + "\",\"message\":\"" + message
                        + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(http, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
