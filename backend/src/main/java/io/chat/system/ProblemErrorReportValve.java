package io.chat.system;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's own error answers (a request line or headers it cannot parse, headers over
 * {@code server.max-http-request-header-size}) as problem documents instead of its HTML page, so
 * that no client input, on any path, gets HTML. Errors raised inside the application never reach
 * this valve with an empty body: they are answered by {@code ProblemResponses}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable failure) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean();
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String reason = status == 400 ? "Bad Request" : status == 413 ? "Content Too Large"
                : status == 414 ? "URI Too Long" : status == 431 ? "Request Header Fields Too Large"
                : status >= 500 ? "Internal Server Error" : "Error";
        String detail = status == 400
                ? "The request could not be read: a malformed request line, or headers too large or malformed"
                : reason;
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + reason + "\",\"status\":" + status
                        + ",\"detail\":\"" + detail + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException ignored) {
            // the client is gone or the response was committed meanwhile: nothing more to send
        }
    }
}
