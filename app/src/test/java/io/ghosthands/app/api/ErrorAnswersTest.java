package io.ghosthands.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ghosthands.app.support.ApiTestBase;
import io.ghosthands.app.support.RawHttp;
import io.ghosthands.app.support.TestStack;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every answer is JSON in the contract's error shape with an {@code X-Request-Id}, and never a 5xx —
 * also the errors Spring and Tomcat produce before any controller runs (bad URL encoding, unknown
 * routes and methods, media types, sizes), and the inputs PostgreSQL would refuse (NUL characters,
 * integers beyond 32 bits). A refused request writes no row.
 */
class ErrorAnswersTest extends ApiTestBase {

    private static final String KEY = "X-GH-Service-Key: " + TestStack.SERVICE_KEY;
    private static final String JSON_TYPE = "Content-Type: application/json";
    private static RawHttp raw;

    @BeforeAll
    static void client() {
        raw = new RawHttp(api.baseUrl());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String validJob() {
        return "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/x\",\"target_worker_id\":\"nobody-errors\"}";
    }

    private static int rows() {
        return jdbc.queryForObject("SELECT count(*) FROM gh_automation_jobs", Integer.class);
    }

    /** Asserts the status, a JSON body with the error code, an X-Request-Id, and no new row. */
    private static JsonNode expect(RawHttp.Answer answer, int status, String error) {
        assertThat(answer.status()).as("%s", answer).isEqualTo(status);
        assertThat(answer.header("x-request-id"))
                .as("X-Request-Id of %s", answer)
                .isNotBlank();
        assertThat(answer.header("content-type")).as("%s", answer).startsWith("application/json");
        JsonNode json = answer.json();
        assertThat(json).as("JSON body of %s", answer).isNotNull();
        assertThat(json.path("error").asString()).as("%s", answer).isEqualTo(error);
        assertThat(json.path("message").asString()).as("%s", answer).isNotBlank();
        return json;
    }

    private static JsonNode expectField(RawHttp.Answer answer, String field) {
        JsonNode json = expect(answer, 422, "validation_error");
        assertThat(json.path("details").findValuesAsString("field"))
                .as("%s", answer)
                .contains(field);
        return json;
    }

    private static RawHttp.Answer postJob(String path, byte[] body, String... headers) {
        return raw.send("POST", path, body, headers);
    }

    @Test
    void malformedJsonIs400() {
        int before = rows();
        expect(postJob("/api/v1/gh/jobs", utf8("{\"job_type\":"), KEY, JSON_TYPE), 400, "bad_request");
        expect(postJob("/api/v1/gh/jobs/batch", utf8("[1"), KEY, JSON_TYPE), 400, "bad_request");
        expect(postJob("/api/v1/gh/valet/apply", utf8("nope"), KEY, JSON_TYPE), 400, "bad_request");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void unknownPathsAre404Json() {
        expect(raw.send("GET", "/api/v1/gh/nope", null, KEY), 404, "not_found");
        expect(raw.send("GET", "/nope", null), 404, "not_found");
        expect(raw.send("GET", "/", null), 404, "not_found");
        expect(
                raw.send("POST", "/api/v1/gh/jobs/" + UUID.randomUUID() + "/explode", utf8("{}"), KEY, JSON_TYPE),
                404,
                "not_found");
    }

    @Test
    void wrongMethodsAre405Json() {
        expect(raw.send("PUT", "/api/v1/gh/jobs", utf8(validJob()), KEY, JSON_TYPE), 405, "method_not_allowed");
        expect(raw.send("DELETE", "/api/v1/gh/jobs/" + UUID.randomUUID(), null, KEY), 405, "method_not_allowed");
        expect(raw.send("PATCH", "/health", utf8("{}"), JSON_TYPE), 405, "method_not_allowed");
        RawHttp.Answer trace = raw.send("TRACE", "/api/v1/gh/jobs", null, KEY);
        expect(trace, 405, "method_not_allowed");
    }

    @Test
    void anAcceptThatExcludesJsonIs406BeforeAnythingHappens() {
        int before = rows();
        expect(raw.send("GET", "/api/v1/gh/jobs", null, KEY, "Accept: application/xml"), 406, "not_acceptable");
        expect(
                postJob("/api/v1/gh/jobs", utf8(validJob()), KEY, JSON_TYPE, "Accept: application/xml"),
                406,
                "not_acceptable");
        expect(raw.send("GET", "/health", null, "Accept: application/xml"), 406, "not_acceptable");
        // still JSON for a caller who asked for a page
        expect(raw.send("GET", "/api/v1/gh/nope", null, KEY, "Accept: text/html"), 406, "not_acceptable");
        expect(raw.send("GET", "/api/v1/gh/nope", null, KEY, "Accept: text/html, */*;q=0.1"), 404, "not_found");
        assertThat(rows()).isEqualTo(before);
        // what VALET and browsers send still works
        assertThat(raw.send("GET", "/api/v1/gh/jobs?limit=1", null, KEY, "Accept: */*")
                        .status())
                .isEqualTo(200);
        assertThat(raw.send(
                                "GET",
                                "/api/v1/gh/jobs?limit=1",
                                null,
                                KEY,
                                "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                        .status())
                .isEqualTo(200);
        assertThat(raw.send("GET", "/api/v1/gh/jobs?limit=1", null, KEY, "Accept: application/json")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIs413() {
        int before = rows();
        String big = "{\"job_type\":\"scrape\",\"target_url\":\"http://127.0.0.1:9/x\",\"metadata\":{\"x\":\""
                + "a".repeat(2 * 1024 * 1024) + "\"}}";
        expect(postJob("/api/v1/gh/jobs", utf8(big), KEY, JSON_TYPE), 413, "payload_too_large");
        // the same without a Content-Length (chunked)
        byte[] body = utf8(big);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes(utf8(Integer.toHexString(body.length) + "\r\n"));
        chunked.writeBytes(body);
        chunked.writeBytes(utf8("\r\n0\r\n\r\n"));
        expect(
                postJob("/api/v1/gh/jobs", chunked.toByteArray(), KEY, JSON_TYPE, "Transfer-Encoding: chunked"),
                413,
                "payload_too_large");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        int before = rows();
        for (String type : new String[] {
            "text/plain",
            "*/*",
            "application/xml",
            "text/plain; charset=utf-8",
            "multipart/form-data; boundary=x",
            "application/json; charset=utf-16",
            "nonsense"
        }) {
            expect(
                    postJob("/api/v1/gh/jobs", utf8(validJob()), KEY, "Content-Type: " + type),
                    415,
                    "unsupported_media_type");
        }
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void badPercentEncodingIs400() {
        expect(raw.send("GET", "/api/v1/gh/jobs?status=%ff", null, KEY), 400, "bad_request");
        expect(raw.send("GET", "/api/v1/gh/jobs?status=%zz", null, KEY), 400, "bad_request");
        expect(raw.send("GET", "/api/v1/gh/jobs?limit=%", null, KEY), 400, "bad_request");
        expect(raw.send("GET", "/api/v1/gh/jobs?%ff=1", null, KEY), 400, "bad_request");
        expect(raw.send("GET", "/api/v1/gh/jobs/%ff", null, KEY), 400, "bad_request");
        expect(raw.send("GET", "/api/v1/gh/jobs/%zz/status", null, KEY), 400, "bad_request");
        expect(raw.send("GET", "/api/v1/gh/jobs/%", null, KEY), 400, "bad_request");
        expect(raw.send("GET", "/api/v1/gh/jobs/%00", null, KEY), 400, "bad_request");
        expect(raw.send("GET", "/api/v1/gh/valet/sessions/a%2fb", null, KEY), 400, "bad_request");
        expect(raw.send("GET", "/%ff", null), 400, "bad_request");
        expect(raw.send("GET", "/api/v1/gh/jobs/a b", null, KEY), 400, "bad_request");
        // without the key, the bad encoding is still what is reported first
        expect(raw.send("GET", "/api/v1/gh/jobs?status=%ff", null), 400, "bad_request");
    }

    @Test
    void malformedRequestsTomcatRefusesAreJson() {
        expect(
                raw.exchange(
                        utf8("GET /api/v1/gh/jobs HTTP/1.1\r\nHost: x\r\nBad Header: y\r\nConnection: close\r\n\r\n")),
                400,
                "bad_request");
        expect(raw.send("GET", "/api/v1/gh/jobs", null, KEY, "X-Big: " + "a".repeat(20_000)), 400, "bad_request");
        expect(raw.exchange(utf8("GET /api/v1/gh/jobs HTTP/1.1\r\nConnection: close\r\n\r\n")), 400, "bad_request");
    }

    @Test
    void invalidUtf8InABodyIs400() {
        int before = rows();
        byte[] body = utf8(validJob().replace("scrape", "scr\u00e9pe"));
        byte[] bad = new byte[body.length + 2];
        System.arraycopy(body, 0, bad, 0, body.length);
        int at = new String(body, StandardCharsets.ISO_8859_1).indexOf("scr") + 3;
        bad = Arrays.copyOf(body, body.length);
        bad[at] = (byte) 0xff; // a byte that never occurs in UTF-8
        bad[at + 1] = (byte) 0xfe;
        JsonNode json = expect(postJob("/api/v1/gh/jobs", bad, KEY, JSON_TYPE), 400, "bad_request");
        assertThat(json.path("message").asString()).contains("UTF-8");
        // an overlong encoding of '/' and a lone surrogate are invalid too
        byte[] overlong = utf8(validJob().replace("/x", "/\u0001"));
        int slash = new String(overlong, StandardCharsets.ISO_8859_1).indexOf('\u0001');
        byte[] withOverlong = new byte[overlong.length + 1];
        System.arraycopy(overlong, 0, withOverlong, 0, slash);
        withOverlong[slash] = (byte) 0xc0;
        withOverlong[slash + 1] = (byte) 0xaf;
        System.arraycopy(overlong, slash + 1, withOverlong, slash + 2, overlong.length - slash - 1);
        expect(postJob("/api/v1/gh/jobs", withOverlong, KEY, JSON_TYPE), 400, "bad_request");
        byte[] surrogate = utf8(validJob().replace("nobody", "nob\u0001ody"));
        int s = new String(surrogate, StandardCharsets.ISO_8859_1).indexOf('\u0001');
        byte[] withSurrogate = new byte[surrogate.length + 2];
        System.arraycopy(surrogate, 0, withSurrogate, 0, s);
        withSurrogate[s] = (byte) 0xed;
        withSurrogate[s + 1] = (byte) 0xa0;
        withSurrogate[s + 2] = (byte) 0x80;
        System.arraycopy(surrogate, s + 1, withSurrogate, s + 3, surrogate.length - s - 1);
        expect(postJob("/api/v1/gh/valet/task", withSurrogate, KEY, JSON_TYPE), 400, "bad_request");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aNulCharacterAnywhereIs422NamingTheField() {
        int before = rows();
        String nul = "\\u0000";
        expectField(
                postJob("/api/v1/gh/jobs", utf8(validJob().replace("nobody-errors", "no" + nul)), KEY, JSON_TYPE),
                "target_worker_id");
        expectField(
                postJob(
                        "/api/v1/gh/jobs",
                        utf8(validJob().replace("}", ",\"metadata\":{\"a\":[\"x" + nul + "\"]}}")),
                        KEY,
                        JSON_TYPE),
                "metadata.a[0]");
        expectField(
                postJob(
                        "/api/v1/gh/jobs/batch",
                        utf8("{\"jobs\":[" + validJob().replace("scrape\"", "scrape\",\"tags\":[\"" + nul + "\"]")
                                + "]}"),
                        KEY,
                        JSON_TYPE),
                "jobs[0].tags[0]");
        expectField(
                postJob(
                        "/api/v1/gh/valet/apply",
                        utf8("{\"valet_task_id\":\"t\",\"target_url\":\"http://127.0.0.1:9/x\","
                                + "\"target_worker_id\":\"nobody-errors\",\"profile\":{\"first_name\":\"A" + nul
                                + "\"}}"),
                        KEY,
                        JSON_TYPE),
                "profile.first_name");
        expectField(
                postJob(
                        "/api/v1/gh/valet/task",
                        utf8("{\"valet_task_id\":\"t" + nul + "\",\"job_type\":\"scrape\","
                                + "\"target_url\":\"http://127.0.0.1:9/x\",\"target_worker_id\":\"nobody-errors\"}"),
                        KEY,
                        JSON_TYPE),
                "valet_task_id");
        expectField(
                postJob(
                        "/api/v1/gh/valet/workers/deregister",
                        utf8("{\"target_worker_id\":\"w" + nul + "\"}"),
                        KEY,
                        JSON_TYPE),
                "target_worker_id");
        expectField(
                postJob(
                        "/api/v1/gh/valet/resume/" + UUID.randomUUID(),
                        utf8("{\"resolved_by\":\"x" + nul + "\"}"),
                        KEY,
                        JSON_TYPE),
                "resolved_by");
        // a field name with a NUL
        expect(
                postJob("/api/v1/gh/jobs", utf8(validJob().replace("}", ",\"a" + nul + "\":1}")), KEY, JSON_TYPE),
                422,
                "validation_error");
        // in the query string
        expectField(raw.send("GET", "/api/v1/gh/jobs?target_worker_id=a%00b", null, KEY), "target_worker_id");
        expectField(raw.send("GET", "/api/v1/gh/jobs?job_type=%00", null, KEY), "job_type");
        expectField(raw.send("GET", "/api/v1/gh/sessions?user_id=%00", null, KEY), "user_id");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void integersBeyond32BitsAre422NamingTheField() {
        int before = rows();
        for (String big :
                new String[] {"2147483648", "-2147483649", "9223372036854775808", "1e30", "99999999999999999999999"}) {
            expectField(
                    postJob(
                            "/api/v1/gh/valet/workers/deregister",
                            utf8("{\"target_worker_id\":\"nobody-errors\",\"drain_timeout_seconds\":" + big + "}"),
                            KEY,
                            JSON_TYPE),
                    "drain_timeout_seconds");
            expectField(
                    postJob(
                            "/api/v1/gh/jobs",
                            utf8(validJob().replace("}", ",\"priority\":" + big + "}")),
                            KEY,
                            JSON_TYPE),
                    "priority");
            expectField(
                    postJob(
                            "/api/v1/gh/jobs",
                            utf8(validJob().replace("}", ",\"timeout_seconds\":" + big + "}")),
                            KEY,
                            JSON_TYPE),
                    "timeout_seconds");
            expectField(raw.send("GET", "/api/v1/gh/jobs?limit=" + big, null, KEY), "limit");
            expectField(
                    raw.send("GET", "/api/v1/gh/jobs/" + UUID.randomUUID() + "/events?offset=" + big, null, KEY),
                    "offset");
        }
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void anEmptyScheduledAtIs422() {
        int before = rows();
        expectField(
                postJob("/api/v1/gh/jobs", utf8(validJob().replace("}", ",\"scheduled_at\":\"\"}")), KEY, JSON_TYPE),
                "scheduled_at");
        expectField(
                postJob("/api/v1/gh/jobs", utf8(validJob().replace("}", ",\"scheduled_at\":\"  \"}")), KEY, JSON_TYPE),
                "scheduled_at");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void valuesPostgresqlCannotStoreAreRefusedNamingTheField() {
        int before = rows();
        for (String at : new String[] {
            "+999999999-12-31T23:59:59Z",
            "-999999999-01-01T00:00:00Z",
            "294277-01-01T00:00:00Z",
            "-4714-01-01T00:00:00Z",
            "+999999999-12-31T23:59:59-18:00",
            "-999999999-01-01T00:00:00+18:00",
            "0001-01-01T00:00:00+01:00"
        }) {
            RawHttp.Answer answer = postJob(
                    "/api/v1/gh/jobs",
                    utf8(validJob().replace("}", ",\"scheduled_at\":\"" + at + "\"}")),
                    KEY,
                    JSON_TYPE);
            expectField(answer, "scheduled_at");
        }
        for (String number : new String[] {"1e309", "-1e309"}) {
            expectField(
                    postJob(
                            "/api/v1/gh/jobs",
                            utf8(validJob().replace("}", ",\"metadata\":{\"n\":" + number + "}}")),
                            KEY,
                            JSON_TYPE),
                    "metadata.n");
        }
        for (String number : new String[] {"1" + "0".repeat(400), "1e-400", "123456789012345678901234567890.5"}) {
            RawHttp.Answer answer = postJob(
                    "/api/v1/gh/jobs",
                    utf8(validJob().replace("}", ",\"metadata\":{\"n\":" + number + "}}")),
                    KEY,
                    JSON_TYPE);
            // a number JSON allows and PostgreSQL stores: taken as it is, and read back as it is
            assertThat(answer.status()).as("%s", answer).isIn(201, 400, 422);
            if (answer.status() == 201) {
                String id = answer.json().path("id").asString();
                RawHttp.Answer read = raw.send("GET", "/api/v1/gh/jobs/" + id, null, KEY);
                assertThat(read.status()).as("%s", read).isEqualTo(200);
                assertThat(read.json().path("metadata").path("n").isNumber())
                        .as("%s", read)
                        .isTrue();
                assertThat(raw.send("GET", "/api/v1/gh/valet/status/" + id, null, KEY)
                                .status())
                        .isEqualTo(200);
                api.post("/api/v1/gh/jobs/" + id + "/cancel", "");
                before++;
            }
        }
        RawHttp.Answer surrogate = postJob(
                "/api/v1/gh/jobs",
                utf8(validJob().replace("}", ",\"metadata\":{\"s\":\"\\ud800x\"}}")),
                KEY,
                JSON_TYPE);
        expectField(surrogate, "metadata.s");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void refusalsBeforeTheControllersKeepTheCallersRequestId() {
        RawHttp.Answer answer = raw.send("GET", "/api/v1/gh/jobs?status=%ff", null, KEY, "X-Request-Id: trace-me-42");
        expect(answer, 400, "bad_request");
        assertThat(answer.header("x-request-id")).isEqualTo("trace-me-42");
        RawHttp.Answer unauthorised = raw.send("GET", "/api/v1/gh/jobs", null, "X-Request-Id: trace-me-43");
        expect(unauthorised, 401, "unauthorized");
        assertThat(unauthorised.header("x-request-id")).isEqualTo("trace-me-43");
    }
}
