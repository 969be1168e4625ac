package io.ghosthands.app.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import io.ghosthands.activities.store.ArtifactLinks;
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

  /** A GET of an artifact through an unexpired signed link: no key needed (browsers open these). */
  private boolean signedArtifactLink(HttpServletRequest request) {
    String uri = request.getRequestURI();
    return "GET".equals(request.getMethod())
        && uri.startsWith(ArtifactLinks.ROUTE)
        && ArtifactLinks.verify(linkKey, uri.substring(ArtifactLinks.ROUTE.length()),
            request.getParameter("expires"), request.getParameter("sig"));
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    // the model catalogue is public, as on the earlier server (VALET's UI shows it)
    return !request.getRequestURI().startsWith("/api/v1/gh/")
        || "GET".equals(request.getMethod()) && ModelsController.ROUTE.equals(request.getRequestURI());
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
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    String message = given == null ? "Missing " + HEADER + " header" : "Invalid " + HEADER;
    response.getWriter().write("{\"error\":\"unauthorized\",\"message\":\"" + message + "\"}");
  }
}
