package io.ghosthands.app.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API speaks JSON, and only JSON, before any controller runs:
 *
 * <ul>
 *   <li>an {@code Accept} that admits no JSON is 406 (checked first, so nothing is created for a
 *       caller who could not read the answer);
 *   <li>a request body must be UTF-8 JSON: labelled {@code application/json} (or {@code +json}),
 *       unlabelled, or labelled a form — what {@code curl -d '{…}'} sends without
 *       {@code -H 'Content-Type: application/json'}; other labels ({@code text/plain}, {@code *}{@code /*},
 *       another charset) are 415;
 *   <li>a body over {@code gh.api.max-body-bytes} is 413, and one that is not valid UTF-8 is 400 —
 *       instead of being read with its bad bytes silently replaced.
 * </ul>
 *
 * <p>The body rules hold on every route (no route takes anything but JSON), so no spelling of a
 * path ({@code /api/v1/%67h/…}) gets around them.
 *
 * <p>A body that passes reaches the controllers byte for byte, labelled {@code application/json}
 * (a form label would otherwise make the servlet layer parse it as form fields, turning {@code +}
 * into spaces and decoding {@code %xx}).
 */
class JsonBodyFilter extends OncePerRequestFilter {

    private static final String API = "/api/v1/gh/";

    private final long maxBodyBytes;

    JsonBodyFilter(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Routes whose answer is not JSON and that therefore negotiate for themselves: artifacts (images),
     * the Prometheus text, the OpenAPI page, the live page and the live view's WebSocket upgrades.
     */
    private static boolean answersOtherThanJson(String path) {
        return path.startsWith(API + "artifacts/")
                || path.equals("/monitoring/metrics")
                || path.startsWith("/swagger-ui")
                || path.startsWith("/v3/api-docs")
                || path.startsWith("/live/")
                || path.equals("/internal/cdp-proxy");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        boolean json = !answersOtherThanJson(path);
        if (json && !acceptsJson(request)) {
            ErrorAnswers.write(
                    request,
                    response,
                    406,
                    "not_acceptable",
                    "This API answers in JSON only: send Accept: application/json (or none)");
            return;
        }
        if (!mayHaveBody(request)) {
            chain.doFilter(json ? new JsonRequest(request, null, true) : request, response);
            return;
        }
        String problem = unsupportedType(request.getContentType());
        if (problem != null) {
            ErrorAnswers.write(request, response, 415, "unsupported_media_type", problem);
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            ErrorAnswers.write(request, response, 413, "payload_too_large", tooLarge());
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
        if (body.length > maxBodyBytes) {
            ErrorAnswers.write(request, response, 413, "payload_too_large", tooLarge());
            return;
        }
        String notUtf8 = firstInvalidUtf8(body);
        if (notUtf8 != null) {
            ErrorAnswers.write(request, response, 400, "bad_request", notUtf8);
            return;
        }
        chain.doFilter(new JsonRequest(request, body, json), response);
    }

    private String tooLarge() {
        return "The request body is larger than " + maxBodyBytes + " bytes";
    }

    private static boolean mayHaveBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Whether the request's {@code Accept} admits {@code application/json} (no header admits everything). */
    static boolean acceptsJson(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders("Accept");
        if (headers == null || !headers.hasMoreElements()) {
            return true;
        }
        boolean any = false;
        for (String header : Collections.list(headers)) {
            if (header.isBlank()) {
                continue;
            }
            List<MediaType> types;
            try {
                types = MediaType.parseMediaTypes(header);
            } catch (InvalidMediaTypeException e) {
                continue; // an unreadable Accept says nothing we could honour: as if absent
            }
            any = true;
            for (MediaType type : types) {
                if (type.getQualityValue() > 0 && type.includes(MediaType.APPLICATION_JSON)) {
                    return true;
                }
            }
        }
        return !any;
    }

    /** Why a body with this {@code Content-Type} is refused, or null when it is taken as JSON. */
    static String unsupportedType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            return "Content-Type is not a media type: send the body as application/json";
        }
        boolean json = !type.isWildcardType()
                && !type.isWildcardSubtype()
                && (type.isCompatibleWith(MediaType.APPLICATION_JSON)
                        || type.getSubtype().endsWith("+json")
                        || type.isCompatibleWith(MediaType.APPLICATION_FORM_URLENCODED));
        if (!json) {
            return "The body must be JSON (Content-Type: application/json), not " + type.getType() + "/"
                    + type.getSubtype();
        }
        String charset = type.getParameter("charset");
        if (charset != null
                && !charset.replace("\"", "").toLowerCase(Locale.ROOT).matches("utf-?8")) {
            return "The body must be UTF-8 JSON, not " + charset;
        }
        return null;
    }

    /** Where {@code body} stops being UTF-8 (a message saying so), or null when all of it is. */
    static String firstInvalidUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        try {
            decoder.decode(in);
            return null;
        } catch (CharacterCodingException e) {
            // decode(ByteBuffer) leaves the position where it failed
            return "The request body is not valid UTF-8 (bad bytes at offset " + in.position() + ")";
        }
    }

    /**
     * The request as the controllers see it: asking for JSON (a caller who accepts JSON among other
     * things gets JSON, never another format a converter happens to offer for {@code text/*}), and,
     * when it has a body, that body already read and checked, labelled JSON.
     */
    private static final class JsonRequest extends HttpServletRequestWrapper {
        private final byte[] body;
        private final boolean jsonAnswer;

        JsonRequest(HttpServletRequest request, byte[] body, boolean jsonAnswer) {
            super(request);
            this.body = body;
            this.jsonAnswer = jsonAnswer;
        }

        private boolean overrides(String name) {
            return jsonAnswer && "accept".equalsIgnoreCase(name)
                    || body != null
                            && ("content-type".equalsIgnoreCase(name)
                                    || "content-length".equalsIgnoreCase(name)
                                    || "transfer-encoding".equalsIgnoreCase(name));
        }

        @Override
        public String getContentType() {
            return body == null ? super.getContentType() : "application/json";
        }

        @Override
        public String getCharacterEncoding() {
            return body == null ? super.getCharacterEncoding() : "UTF-8";
        }

        @Override
        public int getContentLength() {
            return body == null ? super.getContentLength() : body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body == null ? super.getContentLengthLong() : body.length;
        }

        @Override
        public String getHeader(String name) {
            if (!overrides(name)) {
                return super.getHeader(name);
            }
            if ("accept".equalsIgnoreCase(name)) {
                return "application/json";
            }
            if ("content-type".equalsIgnoreCase(name)) {
                return "application/json";
            }
            if ("content-length".equalsIgnoreCase(name)) {
                return Integer.toString(body.length);
            }
            return null; // transfer-encoding: the body is whole
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            if (overrides(name)) {
                String value = getHeader(name);
                return Collections.enumeration(value == null ? List.of() : List.of(value));
            }
            return super.getHeaders(name);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                return super.getInputStream();
            }
            return stream();
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (body == null) {
                return super.getReader();
            }
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        private ServletInputStream stream() {
            InputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return available() == 0;
                }

                @Override
                public int available() {
                    try {
                        return in.available();
                    } catch (IOException e) {
                        return 0;
                    }
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was already read");
                }
            };
        }
    }
}
