package io.ghosthands.app.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's error report for requests it refuses before the application sees them (a bad
 * percent-encoding or a NUL in the path, an unparseable request line or header, a path no context
 * serves): the contract's JSON error with an {@code X-Request-Id}, instead of Tomcat's HTML page.
 * Installed on the host in place of Spring Boot's {@link ErrorReportValve} by {@link ApiConfig}.
 */
public class JsonErrorValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String message;
        if (status >= 500) {
            message = "Internal server error";
        } else if (response.getMessage() != null && !response.getMessage().isBlank()) {
            message = response.getMessage();
        } else {
            HttpStatus known = HttpStatus.resolve(status);
            message = known == null ? "Error " + status : known.getReasonPhrase();
        }
        try {
            RequestIdFilter.ensureHeader(request, response);
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(ErrorAnswers.body(ErrorAnswers.code(status), message), StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the answer already started: nothing more to say
        }
    }
}
