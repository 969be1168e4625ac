package io.ghosthands.app.api;

import io.ghosthands.activities.store.ArtifactLinks;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /api/v1/gh/**}: the {@code X-GH-Service-Key} header must equal the configured key.
 * The comparison takes the same time whatever the mismatch, so the key cannot be guessed by timing.
 */
class ServiceKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-GH-Service-Key";

    private final byte[] expected;
    private final byte[] linkKey;

    ServiceKeyFilter(String serviceKey) {
        if (serviceKey == null || serviceKey.isEmpty()) {
            throw new IllegalStateException("GH_SERVICE_KEY must be set for the API");
        }
        this.expected = serviceKey.getBytes(StandardCharsets.UTF_8);
        this.linkKey = ArtifactLinks.keyFrom(serviceKey);
    }

    /**
     * The path as the container maps it: decoded, normalised, without {@code ;parameters}. The raw
     * request URI is not what routes are matched on ({@code /api/v1/gh;x/…} and {@code /api/v1/%67h/…}
     * reach the same controllers), so every decision here is taken on this.
     */
    private static String mappedPath(HttpServletRequest request) {
        String servletPath = request.getServletPath() == null ? "" : request.getServletPath();
        String pathInfo = request.getPathInfo() == null ? "" : request.getPathInfo();
        return servletPath + pathInfo;
    }

    /** Whether the request's raw URI or its mapped path is under the API (either is enough to guard it). */
    private static boolean underApi(HttpServletRequest request) {
        String raw = request.getRequestURI();
        return raw.startsWith("/api/") || mappedPath(request).startsWith("/api/");
    }

    /**
     * A GET of an artifact through an unexpired signed link: no key needed (browsers open these). Only
     * the exact route spelling is accepted, with the artifact id as the last segment.
     */
    private boolean signedArtifactLink(HttpServletRequest request) {
        String uri = request.getRequestURI();
        return "GET".equals(request.getMethod())
                && uri.startsWith(ArtifactLinks.ROUTE)
                && uri.equals(mappedPath(request))
                && ArtifactLinks.verify(
                        linkKey,
                        uri.substring(ArtifactLinks.ROUTE.length()),
                        request.getParameter("expires"),
                        request.getParameter("sig"));
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // the model catalogue is public, as on the earlier server (VALET's UI shows it)
        return !underApi(request)
                || "GET".equals(request.getMethod())
                        && ModelsController.ROUTE.equals(request.getRequestURI())
                        && ModelsController.ROUTE.equals(mappedPath(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        if (given != null && MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))
                || signedArtifactLink(request)) {
            chain.doFilter(request, response);
            return;
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        if (given == null && (request.getParameter("sig") != null || request.getParameter("expires") != null)) {
            // a link that was signed, but not for this, or no longer
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.getWriter()
                    .write("{\"error\":\"forbidden\",\"message\":\"The link's signature is invalid or has expired\"}");
            return;
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        String message = given == null ? "Missing " + HEADER + " header" : "Invalid " + HEADER;
        response.getWriter().write("{\"error\":\"unauthorized\",\"message\":\"" + message + "\"}");
    }
}
