package io.ghosthands.app.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends each answer whole: with a {@code Content-Length}, in one write, instead of a chunked body
 * and a second write for its end.
 *
 * <p>Spring's JSON writer flushes the stream once it has written the body; the flush commits the
 * response before the container knows its length, so the body goes out chunked and the closing
 * chunk in a write of its own. Every answer of this API is written in one go and then ends, so a
 * flush before the end only costs (a syscall and a packet per request, a few percent of the CPU of a
 * job creation). This filter drops those flushes; the container then sends the buffered answer with
 * its length when the request ends. An answer larger than the container's buffer (8 KiB: a long
 * listing) still goes out as it is written.
 */
class WholeAnswerFilter extends OncePerRequestFilter {

    /** A WebSocket upgrade (the live view) answers 101 and then streams: nothing to hold back. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            private ServletOutputStream out;

            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                if (out == null) {
                    out = new NoFlush(super.getOutputStream());
                }
                return out;
            }

            @Override
            public void flushBuffer() {
                // committed when the request ends
            }
        });
    }

    private static final class NoFlush extends ServletOutputStream {
        private final ServletOutputStream real;

        NoFlush(ServletOutputStream real) {
            this.real = real;
        }

        @Override
        public void write(int b) throws IOException {
            real.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            real.write(b, off, len);
        }

        @Override
        public void flush() {
            // see the class comment
        }

        @Override
        public void close() throws IOException {
            real.close();
        }

        @Override
        public boolean isReady() {
            return real.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            real.setWriteListener(listener);
        }
    }
}
