package io.ghosthands.app.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API only takes JSON, whatever the request says it is. {@code curl -d '{…}'} without
 * {@code -H 'Content-Type: application/json'} labels the body a form, and the servlet layer would
 * then parse it as form fields (turning {@code +} into spaces and decoding {@code %xx}); this filter
 * relabels such bodies as JSON before anything reads them, so they arrive byte for byte.
 */
class JsonBodyFilter extends OncePerRequestFilter {

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    if (!request.getRequestURI().startsWith("/api/v1/gh/")) {
      return true;
    }
    String type = request.getContentType();
    if (type == null) {
      return false;
    }
    String t = type.toLowerCase(Locale.ROOT);
    return !(t.startsWith("application/x-www-form-urlencoded") || t.startsWith("text/plain"));
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    chain.doFilter(new HttpServletRequestWrapper(request) {
      @Override
      public String getContentType() {
        return "application/json";
      }

      @Override
      public String getHeader(String name) {
        return "content-type".equalsIgnoreCase(name) ? "application/json" : super.getHeader(name);
      }

      @Override
      public Enumeration<String> getHeaders(String name) {
        return "content-type".equalsIgnoreCase(name)
            ? Collections.enumeration(java.util.List.of("application/json"))
            : super.getHeaders(name);
      }
    }, response);
  }
}
