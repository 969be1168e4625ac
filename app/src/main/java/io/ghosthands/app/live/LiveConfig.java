package io.ghosthands.app.live;

import io.ghosthands.activities.store.Json;
import io.ghosthands.app.config.GhProperties;
import io.ghosthands.app.worker.WorkerSettings;
import io.ghosthands.app.worker.WorkerStatusServer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The live view's two sockets on the API port: {@code /internal/cdp-proxy} (VALET's relay; the
 * service key as {@code ?key=} or header) and {@code /live/<job id>/ws} (the live page; a signed
 * link, no key). Both are checked before the upgrade, so a refused one gets a plain HTTP answer
 * (401/403/404/409 with a JSON body) and never a socket.
 */
@ConditionalOnWebApplication
@Configuration
@EnableWebSocket
public class LiveConfig implements WebSocketConfigurer {

    private static final Pattern LIVE_WS = Pattern.compile("^/live/([0-9a-fA-F-]{36})/ws$");

    private final LiveHub hub;
    private final byte[] serviceKey;

    public LiveConfig(LiveHub hub, GhProperties properties) {
        this.hub = hub;
        this.serviceKey = properties.getServiceKey().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new CdpProxyHandler(hub), "/internal/cdp-proxy")
                .addInterceptors(new ProxyCheck())
                .setAllowedOriginPatterns("*"); // a server-side relay: the key is the check
        registry.addHandler(new LiveViewHandler(hub), "/live/*/ws").addInterceptors(new LinkCheck());
    }

    /** Screencast frames are large (a JPEG in base64): the container must take them whole. */
    @Bean
    public ServletServerContainerFactoryBean liveViewContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(8 * 1024 * 1024);
        container.setMaxBinaryMessageBufferSize(1024 * 1024);
        container.setMaxSessionIdleTimeout(30 * 60 * 1000L);
        return container;
    }

    /** Whether the key given equals the service key (constant time; none configured: never). */
    boolean keyMatches(String given) {
        return WorkerStatusServer.keyMatches(serviceKey, given);
    }

    static void refuse(ServerHttpResponse response, HttpStatus status, String error, String message) {
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        try {
            response.getBody()
                    .write(Json.write(Map.of("error", error, "message", message))
                            .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // the status says it
        }
    }

    /** The job a VALET request names ({@code job_id}), else the most recently paused one. */
    Optional<UUID> chosenJob(String jobIdParam) {
        if (jobIdParam != null && !jobIdParam.isBlank()) {
            try {
                return Optional.of(UUID.fromString(jobIdParam.trim()));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return hub.relays.latestPaused(WorkerSettings.host());
    }

    private final class ProxyCheck implements HandshakeInterceptor {
        @Override
        public boolean beforeHandshake(
                ServerHttpRequest request,
                ServerHttpResponse response,
                WebSocketHandler handler,
                Map<String, Object> attributes) {
            Map<String, List<String>> query =
                    UriComponentsBuilder.fromUri(request.getURI()).build(true).getQueryParams();
            String key = request.getHeaders().getFirst(WorkerRelays.KEY_HEADER);
            if (key == null && query.get("key") != null) {
                key = URLDecoder.decode(query.get("key").get(0), StandardCharsets.UTF_8);
            }
            if (!keyMatches(key)) {
                refuse(response, HttpStatus.UNAUTHORIZED, "unauthorized", "key: the service key is required");
                return false;
            }
            String jobParam =
                    query.get("job_id") == null ? null : query.get("job_id").get(0);
            Optional<UUID> job = chosenJob(jobParam);
            if (job.isEmpty()) {
                refuse(
                        response,
                        jobParam == null ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST,
                        jobParam == null ? "no_session" : "invalid_job_id",
                        jobParam == null
                                ? "No job is paused for a human with a page a worker can show"
                                : "job_id: not a UUID");
                return false;
            }
            Map<String, Object> row = hub.job(job.get()).orElse(null);
            if (row == null) {
                refuse(response, HttpStatus.NOT_FOUND, "not_found", "job_id: no such job");
                return false;
            }
            if (!"paused".equals(row.get("status"))) {
                refuse(
                        response,
                        HttpStatus.CONFLICT,
                        "not_paused",
                        "job_id: the job is " + row.get("status") + ", not paused");
                return false;
            }
            attributes.put(CdpProxyHandler.JOB, job.get());
            return true;
        }

        @Override
        public void afterHandshake(
                ServerHttpRequest request,
                ServerHttpResponse response,
                WebSocketHandler handler,
                Exception exception) {}
    }

    private final class LinkCheck implements HandshakeInterceptor {
        @Override
        public boolean beforeHandshake(
                ServerHttpRequest request,
                ServerHttpResponse response,
                WebSocketHandler handler,
                Map<String, Object> attributes) {
            Matcher m = LIVE_WS.matcher(request.getURI().getRawPath());
            if (!m.matches()) {
                refuse(response, HttpStatus.NOT_FOUND, "not_found", "no such live page");
                return false;
            }
            Map<String, List<String>> query =
                    UriComponentsBuilder.fromUri(request.getURI()).build(true).getQueryParams();
            String mode = first(query, "mode");
            String exp = first(query, "exp");
            LiveController.Check check = LiveController.check(hub, m.group(1), mode, exp, first(query, "sig"));
            if (check.error() != null) {
                refuse(response, check.status(), check.error(), check.message());
                return false;
            }
            attributes.put(LiveViewHandler.JOB, UUID.fromString(m.group(1)));
            attributes.put(LiveViewHandler.WATCH, "watch".equals(mode));
            attributes.put(LiveViewHandler.PAUSED_AT, JobLinks.pausedAt(check.job()));
            attributes.put(LiveViewHandler.EXP, Long.parseLong(exp));
            return true;
        }

        @Override
        public void afterHandshake(
                ServerHttpRequest request,
                ServerHttpResponse response,
                WebSocketHandler handler,
                Exception exception) {}
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
