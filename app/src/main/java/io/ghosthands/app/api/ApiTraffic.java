package io.ghosthands.app.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts the requests this API process answered, and those it answered with an error (4xx: the
 * caller's, 5xx: ours), for {@code /monitoring/metrics}. Every request counts, refused ones (401)
 * included; the counts start at zero when the process starts, as a Prometheus counter does. A bean
 * in every process (the monitoring routes' controller is one even where no API is served: {@code gh
 * worker}); a filter only where {@link ApiConfig} registers it.
 */
@Component
class ApiTraffic extends OncePerRequestFilter {

    private final LongAdder requests = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        } finally {
            requests.increment();
            int status = failed ? 500 : response.getStatus();
            if (status >= 500) {
                serverErrors.increment();
            } else if (status >= 400) {
                clientErrors.increment();
            }
        }
    }

    long requests() {
        return requests.sum();
    }

    long clientErrors() {
        return clientErrors.sum();
    }

    long serverErrors() {
        return serverErrors.sum();
    }
}
