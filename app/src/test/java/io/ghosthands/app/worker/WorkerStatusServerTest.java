package io.ghosthands.app.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The worker port's access rules on a real socket, without a worker behind it: where it listens,
 * which requests need the service key, and what they get without it.
 */
class WorkerStatusServerTest {

    private static final String KEY = "port-test-key";
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger drains = new AtomicInteger();

    private final WorkerStatusServer.Endpoints endpoints = new WorkerStatusServer.Endpoints() {
        @Override
        public Map<String, Object> status() {
            return Map.of("worker_id", "w1", "active_jobs", 0, "is_draining", drains.get() > 0, "uptime_ms", 1);
        }

        @Override
        public String health() {
            return drains.get() > 0 ? "draining" : "idle";
        }

        @Override
        public int jobsHeld() {
            return 0;
        }

        @Override
        public WorkerStatusServer.Drain drain() {
            return new WorkerStatusServer.Drain(drains.incrementAndGet() == 1, Map.of("status", "draining"));
        }
    };

    private HttpResponse<String> send(WorkerStatusServer server, String method, String path, String key)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("X-GH-Service-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void itListensOnLoopbackByDefaultAndOnEveryInterfaceWhenWidened() {
        try (WorkerStatusServer server = new WorkerStatusServer(WorkerSettings.LOOPBACK, 0, KEY, endpoints)) {
            assertThat(server.address().isLoopbackAddress()).isTrue();
        }
        try (WorkerStatusServer server = new WorkerStatusServer("0.0.0.0", 0, KEY, endpoints)) {
            assertThat(server.address().isAnyLocalAddress()).isTrue();
        }
    }

    @Test
    void aDrainWithoutTheRightKeyIs401AndDrainsNothing() throws Exception {
        try (WorkerStatusServer server = new WorkerStatusServer(WorkerSettings.LOOPBACK, 0, KEY, endpoints)) {
            for (String key : new String[] {null, "", "wrong", KEY + "x", KEY.substring(1)}) {
                HttpResponse<String> answer = send(server, "POST", "/worker/drain", key);
                assertThat(answer.statusCode()).as("key %s", key).isEqualTo(401);
                assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
                assertThat(answer.body()).contains("\"error\":\"unauthorized\"");
            }
            assertThat(drains.get()).isZero();

            HttpResponse<String> drained = send(server, "POST", "/worker/drain", KEY);
            assertThat(drained.statusCode()).isEqualTo(202);
            assertThat(drains.get()).isEqualTo(1);
            assertThat(send(server, "POST", "/worker/drain", KEY).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readsNeedNoKeyAndEveryOtherMethodDoes() throws Exception {
        try (WorkerStatusServer server = new WorkerStatusServer(WorkerSettings.LOOPBACK, 0, KEY, endpoints)) {
            HttpResponse<String> status = send(server, "GET", "/worker/status", null);
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"worker_id\":\"w1\"");
            HttpResponse<String> health = send(server, "GET", "/worker/health", null);
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"deploy_safe\":true");

            for (String path : new String[] {"/worker/status", "/worker/health", "/worker/elsewhere", "/"}) {
                for (String method : new String[] {"POST", "PUT", "DELETE", "PATCH"}) {
                    assertThat(send(server, method, path, null).statusCode())
                            .as("%s %s", method, path)
                            .isEqualTo(401);
                }
            }
            // with the key, a write to a read route is still not a write
            assertThat(send(server, "PUT", "/worker/status", KEY).statusCode()).isEqualTo(405);
            assertThat(send(server, "GET", "/worker/drain", null).statusCode()).isEqualTo(405);
            assertThat(drains.get()).isZero();
        }
    }

    @Test
    void aWorkerWithoutAServiceKeyRefusesEveryDrain() throws Exception {
        try (WorkerStatusServer server = new WorkerStatusServer(WorkerSettings.LOOPBACK, 0, "", endpoints)) {
            HttpResponse<String> answer = send(server, "POST", "/worker/drain", "");
            assertThat(answer.statusCode()).isEqualTo(401);
            assertThat(answer.body()).contains("unauthorized");
            assertThat(send(server, "GET", "/worker/status", null).statusCode()).isEqualTo(200);
            assertThat(drains.get()).isZero();
        }
    }
}
