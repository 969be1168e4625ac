package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiTestBase;
import io.ghosthands.app.support.RawHttp;
import io.ghosthands.app.support.TestStack;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A fuzz suite over every operation of the OpenAPI document the API serves ({@code /v3/api-docs}):
 * {@value #DEFAULT_REQUESTS} generated malformed requests by default — bodies built from each
 * operation's schema with fields set to values of the wrong type, out of range, too long, with NUL
 * characters, impossible dates, blocked URLs, deep nesting; bodies cut short, not JSON, not UTF-8,
 * too large; path and query values with bad percent-encodings; wrong methods, media types, Accept
 * headers and keys — sent over real HTTP to the running API. Every answer must be below 500, carry
 * an {@code X-Request-Id}, and be JSON (an error with its code); no request that was refused may
 * leave a row in {@code gh_automation_jobs}.
 *
 * <p>Reproducible: request {@code i} is generated from {@code seed + i} alone. System properties:
 * {@code gh.fuzz.requests}, {@code gh.fuzz.seed}, {@code gh.fuzz.threads}. See docs/reliability.md.
 */
class ApiFuzzTest extends ApiTestBase {

    static final int DEFAULT_REQUESTS = 10_000;
    private static final int REQUESTS = Integer.getInteger("gh.fuzz.requests", DEFAULT_REQUESTS);
    private static final long SEED = Long.getLong("gh.fuzz.seed", 20261205L);
    private static final int THREADS = Integer.getInteger("gh.fuzz.threads", 4);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String KEY = "X-GH-Service-Key: " + TestStack.SERVICE_KEY;
    /** Far in the future: a job the fuzz gets accepted sleeps instead of running. */
    private static final String LATER = "2099-01-01T00:00:00Z";

    /** One operation of the document: its method, path template, path parameters, body schema. */
    record Operation(String method, String path, List<String> pathParams, boolean query, String bodySchema) {
        String name() {
            return method + " " + path;
        }
    }

    /** A generated request and what it was meant to break. */
    record Fuzzed(Operation op, String kind, String method, String target, List<String> headers, byte[] body) {}

    private final String worker = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
    private List<String> existingIds = List.of();
    private Map<String, JsonNode> schemas = Map.of();
    private String apiPort;

    // ---- the document

    static List<Operation> operations(JsonNode doc) {
        List<Operation> ops = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                JsonNode op = method.getValue();
                List<String> pathParams = new ArrayList<>();
                boolean query = false;
                for (JsonNode p : op.path("parameters")) {
                    if (p.path("in").asString().equals("path")) {
                        pathParams.add(p.path("name").asString());
                    } else if (p.path("in").asString().equals("query")) {
                        query = true;
                    }
                }
                String ref = op.path("requestBody")
                        .path("content")
                        .path("application/json")
                        .path("schema")
                        .path("$ref")
                        .asString("");
                ops.add(new Operation(
                        method.getKey().toUpperCase(Locale.ROOT),
                        path.getKey(),
                        pathParams,
                        query,
                        ref.isEmpty() ? null : ref.substring(ref.lastIndexOf('/') + 1)));
            }
        }
        ops.sort(Comparator.comparing(Operation::name));
        return ops;
    }

    // ---- values

    private static final List<String> QUERY_NAMES = List.of(
            "status",
            "job_type",
            "target_worker_id",
            "worker_id",
            "worker",
            "id_prefix",
            "limit",
            "offset",
            "sort",
            "user_id",
            "domain",
            "all",
            "expires",
            "sig");

    /** Path and query values as they go on the wire: some valid, most broken, some not even escaped. */
    private String rawValue(Random r) {
        return switch (r.nextInt(24)) {
            case 0, 1 ->
                existingIds.isEmpty() ? UUID.randomUUID().toString() : existingIds.get(r.nextInt(existingIds.size()));
            case 2 -> UUID.randomUUID().toString();
            case 3 -> "%ff";
            case 4 -> "%00";
            case 5 -> "%zz";
            case 6 -> "%";
            case 7 -> "%2e%2e";
            case 8 -> "a%2fb";
            case 9 -> "x".repeat(1 + r.nextInt(3000));
            case 10 -> "%C3%BC%E2%80%AE%F0%9F%92%A5";
            case 11 -> "%c0%af";
            case 12 -> "%ed%a0%80";
            case 13 -> "'%20OR%201=1--";
            case 14 -> "..";
            case 15 -> "-1";
            case 16 -> "2147483648";
            case 17 -> "99999999999999999999";
            case 18 -> "queued,bogus,";
            case 19 -> "created_at:sideways";
            case 20 -> ";jsessionid=1";
            case 21 -> "%25%25";
            case 22 -> "\u00e9t\u00e9"; // raw Latin-1 bytes on the wire
            default -> "";
        };
    }

    private String badUrl(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "http://169.254.169.254/latest/meta-data/";
            case 1 -> "http://127.0.0.1:" + apiPort + "/api/v1/gh/jobs";
            case 2 -> "javascript:alert(1)";
            case 3 -> "file:///etc/passwd";
            case 4 -> "http://[fe80::1]/";
            case 5 -> "http://0xa9fea9fe/";
            case 6 -> "http://a b/";
            case 7 -> "http://%zz/";
            case 8 -> "ftp://127.0.0.1/x";
            case 9 -> "http://" + "a".repeat(3000) + "/";
            case 10 -> "//127.0.0.1/x";
            default -> "not a url";
        };
    }

    /** A JSON value of the wrong kind, out of range, or one PostgreSQL or Java would choke on. */
    private JsonNode junk(Random r, int depth) {
        return switch (r.nextInt(34)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(r.nextBoolean());
            case 2 -> F.numberNode(r.nextInt());
            case 3 -> F.numberNode(2147483648L);
            case 4 -> F.numberNode(-2147483649L);
            case 5 -> F.numberNode(new BigInteger("9".repeat(1 + r.nextInt(40))));
            case 6 -> F.numberNode(new BigDecimal("1e" + (300 + r.nextInt(20))));
            case 7 -> F.numberNode(r.nextDouble() * 1e6);
            case 8 -> F.numberNode(-r.nextInt(1000));
            case 9 -> F.stringNode("");
            case 10 -> F.stringNode("   ");
            case 11 -> F.stringNode("x".repeat(1 + r.nextInt(r.nextInt(10) == 0 ? 200_000 : 3000)));
            case 12 -> F.stringNode("a\u0000b");
            case 13 -> F.stringNode("\ud800 lone surrogate");
            case 14 -> F.stringNode("\u202e\u200b\ufeff\uffff ü 💥 日本語");
            case 15 -> F.stringNode(badUrl(r));
            case 16 -> F.stringNode("2026-13-45T99:99:99Z");
            case 17 -> F.stringNode("+999999999-12-31T23:59:59Z");
            case 18 -> F.stringNode("-999999999-01-01T00:00:00Z");
            case 19 -> F.stringNode("0000-01-01T00:00:00Z");
            case 20 -> F.stringNode("not-a-uuid-" + r.nextInt(100));
            case 21 -> F.stringNode("00000000-0000-0000-0000-00000000000g");
            case 22 -> F.stringNode("%ff%00");
            case 23 -> F.stringNode("' OR 1=1 --");
            case 24 -> F.stringNode("${jndi:ldap://127.0.0.1/x}");
            case 25 -> {
                ArrayNode a = F.arrayNode();
                for (int i = 0; i < r.nextInt(60); i++) {
                    a.add(depth < 3 ? junk(r, depth + 1) : F.stringNode("t" + i));
                }
                yield a;
            }
            case 26 -> {
                ObjectNode o = F.objectNode();
                for (int i = 0; i < r.nextInt(6); i++) {
                    o.set(
                            List.of("", "a\u0000", "k" + i, "x".repeat(500), "__proto__", "$where")
                                    .get(r.nextInt(6)),
                            depth < 3 ? junk(r, depth + 1) : F.nullNode());
                }
                yield o;
            }
            case 27 -> deep(r.nextInt(2) == 0, 50 + r.nextInt(400)); // deeper ones: breakBytes
            case 28 -> F.stringNode("scrape");
            case 29 -> F.stringNode("strict");
            case 30 -> F.stringNode("cancel");
            case 31 -> F.stringNode("code_entry");
            case 32 -> F.stringNode(UUID.randomUUID().toString());
            default -> F.numberNode(0);
        };
    }

    private static JsonNode deep(boolean arrays, int depth) {
        JsonNode node = F.stringNode("bottom");
        for (int i = 0; i < depth; i++) {
            node = arrays ? F.arrayNode().add(node) : F.objectNode().set("d", node);
        }
        return node;
    }

    /** A body that passes validation for the schema (a job that would sleep until 2099). */
    private ObjectNode valid(String schema, int i) {
        ObjectNode job = F.objectNode();
        job.put("job_type", "scrape");
        job.put("target_url", "http://127.0.0.1:9/fuzz");
        job.put("task_description", "fuzz");
        job.put("target_worker_id", worker);
        job.put("worker_affinity", "strict");
        job.put("scheduled_at", LATER);
        job.put("max_retries", 0);
        return switch (schema) {
            case "CreateJob" -> job;
            case "CreateBatch" -> {
                ObjectNode batch = F.objectNode();
                ArrayNode jobs = batch.putArray("jobs");
                jobs.add(job);
                jobs.add(job.deepCopy().put("task_description", "fuzz 2"));
                batch.set("defaults", F.objectNode().put("priority", 5));
                yield batch;
            }
            case "ValetApply", "ValetTask" -> {
                job.put("valet_task_id", "fuzz-" + SEED + "-" + i);
                job.put("valet_user_id", UUID.randomUUID().toString());
                if (schema.equals("ValetApply")) {
                    job.remove("job_type");
                    job.set("profile", F.objectNode().put("first_name", "Ada").put("email", ""));
                    job.set("resume", F.objectNode().put("storage_path", ""));
                    job.set("qa_answers", F.objectNode().put("Why?", "Because"));
                }
                yield job;
            }
            case "Resume" -> F.objectNode().put("action", "resume").put("resolution_type", "manual");
            case "Deregister" ->
                F.objectNode()
                        .put("target_worker_id", "fuzz-nobody-" + i)
                        .put("reason", "fuzz")
                        .put("drain_timeout_seconds", 10);
            default -> F.objectNode();
        };
    }

    /** The schema's own property names (from the document), plus now and then one it does not have. */
    private String field(Random r, String schema) {
        JsonNode props = schemas.getOrDefault(schema, F.objectNode()).path("properties");
        List<String> names = new ArrayList<>();
        props.propertyNames().forEach(names::add);
        if (names.isEmpty() || r.nextInt(12) == 0) {
            return List.of("unknown", "", "a\u0000", "__proto__", "x".repeat(300))
                    .get(r.nextInt(5));
        }
        return names.get(r.nextInt(names.size()));
    }

    /**
     * A bad value aimed at the property's declared type and format in the document (half the time;
     * else any junk): a date PostgreSQL cannot store for a date-time, an integer past 32 bits for an
     * int32, a refused address for a URL, and so on.
     */
    private JsonNode junkFor(String schema, String name, Random r) {
        JsonNode prop =
                schemas.getOrDefault(schema, F.objectNode()).path("properties").path(name);
        if (r.nextInt(10) < 3 || prop.isMissingNode()) {
            return junk(r, 0);
        }
        String type = prop.path("type").isArray()
                ? prop.path("type").get(0).asString("")
                : prop.path("type").asString("");
        String format = prop.path("format").asString("");
        if (format.equals("date-time") || name.endsWith("_at")) {
            // the first four parse, and lie beyond what PostgreSQL's timestamptz holds
            return F.stringNode(List.of(
                            "+999999999-12-31T23:59:59Z",
                            "-999999999-01-01T00:00:00Z",
                            "+10000-01-01T00:00:00Z",
                            "-0001-01-01T00:00:00Z",
                            "0000-01-01T00:00:00Z",
                            "9999-12-31T23:59:59-14:00",
                            "2026-02-30T00:00:00Z",
                            "2026-01-01",
                            "",
                            "+999999999-12-31T23:59:59-18:00")
                    .get(r.nextInt(10)));
        }
        if (type.equals("integer")) {
            return List.<JsonNode>of(
                            F.numberNode(2147483648L),
                            F.numberNode(-2147483649L),
                            F.numberNode(Long.MAX_VALUE),
                            F.numberNode(new BigDecimal("1e309")),
                            F.numberNode(1.5),
                            F.stringNode("5"),
                            F.booleanNode(true),
                            F.numberNode(-1),
                            F.numberNode(0),
                            F.numberNode(new BigInteger("1" + "0".repeat(40))),
                            F.numberNode(Integer.MIN_VALUE),
                            F.numberNode(Integer.MAX_VALUE))
                    .get(r.nextInt(12));
        }
        if (format.equals("uuid") || name.endsWith("_id")) {
            return F.stringNode(List.of(
                            "not-a-uuid",
                            "00000000-0000-0000-0000-000000000000",
                            "{" + UUID.randomUUID() + "}",
                            UUID.randomUUID().toString().toUpperCase(Locale.ROOT),
                            "x".repeat(101),
                            "a\u0000b",
                            "\udc00",
                            "")
                    .get(r.nextInt(8)));
        }
        if (format.equals("uri") || name.endsWith("_url")) {
            return F.stringNode(badUrl(r));
        }
        if (type.equals("object")) {
            ObjectNode o = F.objectNode();
            o.set(
                    List.of("n", "s", "\ud800", "k").get(r.nextInt(4)),
                    List.<JsonNode>of(
                                    F.numberNode(new BigDecimal("-1e400")),
                                    F.stringNode("\ud800"),
                                    F.stringNode("a\u0000"),
                                    deep(true, 300),
                                    junk(r, 1))
                            .get(r.nextInt(5)));
            return o;
        }
        if (type.equals("boolean")) {
            return List.<JsonNode>of(F.stringNode("true"), F.numberNode(1), F.nullNode())
                    .get(r.nextInt(3));
        }
        return junk(r, 0);
    }

    private ObjectNode mutateFields(ObjectNode body, String schema, Random r) {
        int roll = r.nextInt(20);
        int changes = roll < 14 ? 1 : roll < 18 ? 2 : 3;
        for (int c = 0; c < changes; c++) {
            String name = field(r, schema);
            ObjectNode into = body;
            String schemaOfField = schema;
            if (schema.equals("CreateBatch")
                    && r.nextBoolean()
                    && body.path("jobs").isArray()
                    && !body.path("jobs").isEmpty()
                    && body.path("jobs").get(0).isObject()) {
                into = (ObjectNode) body.path("jobs").get(0); // a field of a job in the batch
                name = field(r, "CreateJob");
                schemaOfField = "CreateJob";
            } else if (List.of(
                                    "profile",
                                    "resume",
                                    "input_data",
                                    "metadata",
                                    "qa_answers",
                                    "resolution_data",
                                    "defaults")
                            .contains(name)
                    && r.nextBoolean()) {
                ObjectNode nested = F.objectNode();
                nested.set(
                        List.of(
                                        "first_name",
                                        "email",
                                        "download_url",
                                        "storage_path",
                                        "hitl_timeout_seconds",
                                        "code",
                                        "priority",
                                        "x")
                                .get(r.nextInt(8)),
                        junk(r, 1));
                into.set(name, nested);
                continue;
            }
            if (r.nextInt(6) == 0) {
                into.remove(name);
            } else {
                into.set(name, junkFor(schemaOfField, name, r));
            }
        }
        return body;
    }

    /** Breaks a body below the JSON level. */
    private static byte[] breakBytes(byte[] json, Random r) {
        switch (r.nextInt(12)) {
            case 0:
                return Arrays.copyOf(json, r.nextInt(Math.max(1, json.length)));
            case 1: {
                byte[] b = json.clone();
                int at = r.nextInt(b.length);
                b[at] = (byte)
                        List.of(0xff, 0xc0, 0xed, 0x80, 0xfe).get(r.nextInt(5)).intValue();
                return b;
            }
            case 2:
                return new byte[0];
            case 3:
                return "null".getBytes(StandardCharsets.UTF_8);
            case 4:
                return ("[" + new String(json, StandardCharsets.UTF_8) + "]").getBytes(StandardCharsets.UTF_8);
            case 5:
                return new String(json, StandardCharsets.UTF_8)
                        .replace('"', '\'')
                        .getBytes(StandardCharsets.UTF_8);
            case 6: {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
                out.writeBytes(json);
                return out.toByteArray();
            }
            case 7:
                return new String(json, StandardCharsets.UTF_8)
                        .replace("{", "{\u0000")
                        .getBytes(StandardCharsets.UTF_8);
            case 8: {
                int depth = 400 + r.nextInt(5000);
                return r.nextBoolean()
                        ? ("{\"a\":" + "[".repeat(depth)).getBytes(StandardCharsets.UTF_8)
                        : ("{\"job_type\":\"scrape\",\"metadata\":{\"d\":" + "[".repeat(depth) + "]".repeat(depth)
                                        + "}}")
                                .getBytes(StandardCharsets.UTF_8);
            }
            case 9:
                return new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
            case 10:
                return r.nextInt(4) == 0
                        ? ("{\"metadata\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8)
                        : "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
            default:
                return "<xml>not json</xml>".getBytes(StandardCharsets.UTF_8);
        }
    }

    // ---- requests

    private Fuzzed generate(List<Operation> ops, int i) {
        Random r = new Random(SEED * 1_000_003L + i);
        // every operation in turn on odd requests; the operations with a body (where most can go wrong)
        // in turn on even ones
        List<Operation> withBody =
                ops.stream().filter(o -> o.bodySchema() != null).toList();
        Operation op = i % 2 == 0 && !withBody.isEmpty()
                ? withBody.get((i / 2) % withBody.size())
                : ops.get((i / 2) % ops.size());
        int roll = r.nextInt(100);
        String kind = roll < 5
                ? "valid"
                : roll < 50
                        ? "fields"
                        : roll < 63
                                ? "bytes"
                                : roll < 71
                                        ? "media"
                                        : roll < 85 ? "encoding" : roll < 90 ? "method" : roll < 93 ? "auth" : "query";
        String method = op.method();
        if (kind.equals("method")) {
            method = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "HEAD", "OPTIONS", "FOO")
                    .get(r.nextInt(9));
        }
        String path = op.path();
        for (String p : op.pathParams()) {
            String value;
            if (kind.equals("encoding") || kind.equals("fields") && r.nextInt(3) == 0) {
                value = rawValue(r);
            } else {
                value = existingIds.isEmpty() || r.nextBoolean()
                        ? UUID.randomUUID().toString()
                        : existingIds.get(r.nextInt(existingIds.size()));
            }
            path = path.replace("{" + p + "}", value.isEmpty() ? "x" : value);
        }
        if (op.query() || kind.equals("query") || kind.equals("encoding") && r.nextBoolean()) {
            StringBuilder q = new StringBuilder();
            int n = kind.equals("valid") ? 0 : 1 + r.nextInt(4);
            for (int k = 0; k < n; k++) {
                q.append(k == 0 ? "?" : "&");
                q.append(r.nextInt(8) == 0 ? rawValue(r) : QUERY_NAMES.get(r.nextInt(QUERY_NAMES.size())));
                q.append('=').append(rawValue(r));
            }
            if (op.path().equals("/api/v1/gh/sessions") && kind.equals("valid")) {
                q.append("?user_id=u1&all=true");
            }
            path += q;
        }
        List<String> headers = new ArrayList<>();
        if (!kind.equals("auth")) {
            headers.add(KEY);
        } else if (r.nextBoolean()) {
            headers.add("X-GH-Service-Key: wrong-" + r.nextInt(1000));
        }
        byte[] body = null;
        String type = "application/json";
        if (op.bodySchema() != null || kind.equals("method") || kind.equals("media") && r.nextBoolean()) {
            String schema = op.bodySchema() == null ? "CreateJob" : op.bodySchema();
            ObjectNode json = valid(schema, i);
            if (kind.equals("fields") || kind.equals("method") || kind.equals("media") && r.nextBoolean()) {
                mutateFields(json, schema, r);
            }
            body = JSON.writeValueAsBytes(json);
            if (kind.equals("bytes")) {
                body = breakBytes(body, r);
            }
        }
        if (kind.equals("media")) {
            if (r.nextBoolean()) {
                type = List.of(
                                "text/plain",
                                "*/*",
                                "application/xml",
                                "multipart/form-data; boundary=x",
                                "application/json; charset=latin1",
                                "application/json; charset=utf-16",
                                "application/vnd.api+json",
                                "garbage",
                                "application/json, text/plain",
                                "application/x-www-form-urlencoded",
                                "")
                        .get(r.nextInt(11));
            } else {
                headers.add("Accept: "
                        + List.of(
                                        "application/xml",
                                        "text/html",
                                        "application/json;q=0",
                                        "image/*",
                                        "garbage;;;",
                                        "application/*",
                                        "text/*, */*;q=0.1",
                                        "")
                                .get(r.nextInt(8)));
            }
        }
        if (r.nextInt(10) == 0) {
            headers.add("X-Request-Id: "
                    + List.of("fuzz-" + i, "has spaces in it", "x".repeat(500), "ü")
                            .get(r.nextInt(4)));
        }
        if (body != null) {
            headers.add("Content-Type: " + type);
        }
        return new Fuzzed(op, kind, method, path, headers, body);
    }

    private static byte[] requestBytes(RawHttp.Target where, Fuzzed f) {
        StringBuilder head = new StringBuilder();
        head.append(f.method()).append(' ').append(f.target()).append(" HTTP/1.1\r\n");
        head.append("Host: ")
                .append(where.host())
                .append(':')
                .append(where.port())
                .append("\r\n");
        head.append("Connection: close\r\n");
        for (String h : f.headers()) {
            head.append(h).append("\r\n");
        }
        if (f.body() != null) {
            head.append("Content-Length: ").append(f.body().length).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the target may hold raw non-ASCII: sent as its Latin-1 bytes, as a careless client would
        out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (f.body() != null) {
            out.writeBytes(f.body());
        }
        return out.toByteArray();
    }

    // ---- the run

    @Test
    void tenThousandMalformedRequestsOverEveryDocumentedOperationGetNoServerErrorAndWriteNoRowWhenRefused()
            throws Exception {
        JsonNode doc = api.get("/v3/api-docs").json();
        List<Operation> ops = operations(doc);
        Map<String, JsonNode> s = new HashMap<>();
        doc.path("components").path("schemas").properties().forEach(e -> s.put(e.getKey(), e.getValue()));
        schemas = s;
        apiPort = Integer.toString(URI.create(api.baseUrl()).getPort());
        assertThat(ops).as("operations in the document").hasSizeGreaterThanOrEqualTo(20);
        assertThat(ops).extracting(Operation::path).doesNotContain("/error");

        Timestamp start = jdbc.queryForObject("SELECT now()", Timestamp.class);
        List<String> seeded = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            seeded.add(create(JSON.writeValueAsString(valid("CreateJob", -k))));
        }
        existingIds = List.copyOf(seeded);
        int before = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class);

        RawHttp raw = new RawHttp(api.baseUrl());
        RawHttp.Target where = raw.target();
        Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
        Map<String, LongAdder> byOperation = new ConcurrentHashMap<>();
        Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        AtomicInteger acceptedRows = new AtomicInteger();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        LongAdder problemCount = new LongAdder();

        long began = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> work = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        for (int t = 0; t < THREADS; t++) {
            work.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < REQUESTS; i = next.getAndIncrement()) {
                    Fuzzed f = generate(ops, i);
                    RawHttp.Answer a;
                    try {
                        a = raw.exchange(requestBytes(where, f));
                    } catch (RuntimeException e) {
                        problem(problems, problemCount, i, f, "no answer: " + e);
                        continue;
                    }
                    byStatus.computeIfAbsent(a.status(), k -> new LongAdder()).increment();
                    byOperation
                            .computeIfAbsent(f.op().name(), k -> new LongAdder())
                            .increment();
                    byKind.computeIfAbsent(f.kind(), k -> new LongAdder()).increment();
                    String why = check(f, a);
                    if (why != null) {
                        problem(problems, problemCount, i, f, why + " — " + abbreviate(a.toString()));
                    }
                    if (a.status() == 201 && a.json() != null) {
                        JsonNode j = a.json();
                        if (j.has("job_ids")) {
                            j.path("job_ids").forEach(id -> accepted.add(id.asString()));
                            acceptedRows.addAndGet(j.path("job_ids").size());
                        } else {
                            accepted.add(
                                    j.has("job_id")
                                            ? j.path("job_id").asString()
                                            : j.path("id").asString());
                            acceptedRows.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : work) {
            w.get();
        }
        pool.shutdown();
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        int after = jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class);
        Set<String> newRows = new HashSet<>(jdbc.queryForList(
                "SELECT id::text FROM gh_automation_jobs WHERE created_at >= ?", String.class, start));
        newRows.removeAll(seeded);

        System.out.printf(
                "%nAPI fuzz: %d requests over %d operations in %.1f s (%.0f/s, %d threads, seed %d)%n",
                REQUESTS,
                ops.size(),
                took.toMillis() / 1000.0,
                REQUESTS * 1000.0 / Math.max(1, took.toMillis()),
                THREADS,
                SEED);
        System.out.println("  by status:    " + sorted(byStatus));
        System.out.println("  by kind:      " + sorted(byKind));
        System.out.println("  by operation: " + sorted(byOperation));
        System.out.printf(
                "  accepted: %d rows (all sleeping until %s); problems: %d%n",
                acceptedRows.get(), LATER, problemCount.sum());

        jdbc.update(
                "UPDATE gh_automation_jobs SET status = 'cancelled', completed_at = now()"
                        + " WHERE created_at >= ? AND status IN ('pending', 'queued')",
                start);

        assertThat(problems)
                .as("%d answers broke the rules; the first ones", problemCount.sum())
                .isEmpty();
        assertThat(byOperation.keySet())
                .as("every operation was fuzzed")
                .containsAll(ops.stream().map(Operation::name).toList());
        assertThat(byStatus.keySet().stream().filter(c -> c >= 500).toList())
                .as("5xx answers")
                .isEmpty();
        assertThat(after - before).as("rows written = rows accepted").isEqualTo(acceptedRows.get());
        assertThat(newRows).as("every new row belongs to an accepted request").isEqualTo(accepted);
        assertThat(byStatus.keySet()).contains(400, 401, 404, 405, 406, 413, 415, 422);
    }

    /** What is wrong with an answer, or null. */
    private static String check(Fuzzed f, RawHttp.Answer a) {
        if (a.status() >= 500) {
            return "a " + a.status();
        }
        if (a.header("x-request-id") == null || a.header("x-request-id").isBlank()) {
            return "no X-Request-Id";
        }
        boolean bodiless = f.method().equals("HEAD")
                || f.method().equals("OPTIONS") && a.status() < 300
                || a.status() == 204
                || a.status() == 304;
        if (bodiless) {
            return null;
        }
        boolean text = f.op().path().equals("/monitoring/metrics") && a.status() < 300;
        if (text) {
            return null;
        }
        JsonNode json = a.json();
        if (json == null) {
            return "not JSON";
        }
        if (a.status() >= 400 && json.path("error").asString("").isEmpty()) {
            return "an error without its code";
        }
        return null;
    }

    private static void problem(List<String> problems, LongAdder count, int i, Fuzzed f, String why) {
        count.increment();
        if (problems.size() < 25) {
            problems.add("#" + i + " [" + f.kind() + "] " + f.method() + " " + abbreviate(f.target()) + " "
                    + f.headers() + " body "
                    + (f.body() == null ? "-" : abbreviate(new String(f.body(), StandardCharsets.UTF_8)))
                    + ": " + why);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "…(" + s.length() + " chars)" : s;
    }

    private static <K extends Comparable<K>> Map<K, Long> sorted(Map<K, LongAdder> counts) {
        Map<K, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
