package io.ghosthands.app.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every response carries {@code X-Request-Id}: the caller's own if it sent a sane one, else a new
 * one. It is also in the log context for the request.
 */
class RequestIdFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Request-Id";
    /** The request's id, kept on the request so an error dispatch or a container error report reuses it. */
    static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /**
     * A random (version 4) UUID from a per-thread generator: a request id names a request in logs and
     * support tickets and guards nothing, so it need not come from the shared, locked SecureRandom
     * that job ids are drawn from.
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** The id of this request: the one already given it, the caller's own if sane, else a new one. */
    static String idOf(HttpServletRequest request) {
        Object kept = request.getAttribute(ATTRIBUTE);
        if (kept instanceof String id) {
            return id;
        }
        String given = request.getHeader(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : newId();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }

    /**
     * Puts the request's id on a response that lacks it: an error answer written by the container
     * (which may have reset the headers set on the way in) or for a request no filter saw.
     */
    static void ensureHeader(HttpServletRequest request, HttpServletResponse response) {
        if (response.getHeader(HEADER) == null) {
            response.setHeader(HEADER, idOf(request));
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = idOf(request);
        response.setHeader(HEADER, id);
        MDC.put("request_id", id);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove("request_id");
        }
    }
}
