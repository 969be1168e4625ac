package io.ghosthands.app.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page ({@code /error}) in the contract's shape: what reaches here is an error
 * the servlet container reported itself (a {@code sendError} from Spring's own handlers, an
 * exception thrown by a filter, a parameter parse failure) instead of a controller's answer. It
 * replaces Spring Boot's error controller, whose body ({@code timestamp, status, error, path}) is
 * not the contract's and which lost the request's {@code X-Request-Id}.
 */
@RestController
@Hidden // the container's, not an operation of the API
class ApiErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ApiErrorController.class);

    @RequestMapping("${server.error.path:/error}")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Throwable thrown = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String message = (String) request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        int status;
        if (code == null) {
            // called as a route of its own, not as the container's error page
            status = 404;
            message = "No route " + request.getRequestURI();
        } else {
            status = (Integer) code;
        }
        InvalidParameterException badParameters = find(thrown, InvalidParameterException.class);
        if (badParameters != null) {
            // Tomcat could not decode the query string (or a form body): the caller's mistake
            status = badParameters.getErrorCode() >= 400 && badParameters.getErrorCode() < 500
                    ? badParameters.getErrorCode()
                    : 400;
            message = "The query string is not valid: every % must start a %XX escape of UTF-8 bytes";
        } else if (status >= 500) {
            log.error(
                    "unhandled error on {} {}",
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    status,
                    thrown);
            message = "Internal server error";
        } else if (message == null || message.isBlank()) {
            HttpStatus known = HttpStatus.resolve(status);
            message = known == null ? "Error " + status : known.getReasonPhrase();
        }
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        ErrorAnswers.write(request, response, status, ErrorAnswers.code(status), message);
    }

    static <T extends Throwable> T find(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
