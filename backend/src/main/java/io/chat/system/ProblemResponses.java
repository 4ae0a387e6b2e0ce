package io.chat.system;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Translates failures into RFC 9457 problem documents: a readable {@code detail}, and the broken
 * fields under {@code errors} (field name to a list of messages, as Django REST framework does).
 */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> apiException(ApiException failure) {
        return problem(failure.status(), failure.getMessage(), failure.fieldErrors());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> badParameter(MethodArgumentTypeMismatchException failure) {
        String name = failure.getName();
        return problem(HttpStatus.BAD_REQUEST, "Invalid " + name + ": a whole number is expected",
                Map.of(name, List.of("A valid integer is required.")));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException failure,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = failure.getMostSpecificCause();
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String field = fieldPath(databind);
            return asObject(problem(HttpStatus.BAD_REQUEST, "Invalid " + field + ": wrong type of value",
                    Map.of(field, List.of("Wrong type of value."))));
        }
        String detail = cause instanceof JacksonException || failure.getMessage() == null
                || !failure.getMessage().startsWith("Required request body")
                ? "Invalid JSON format" : "A JSON request body is required";
        return asObject(problem(HttpStatus.BAD_REQUEST, detail, Map.of()));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException failure, HttpHeaders headers, HttpStatusCode status,
            WebRequest request) {
        return asObject(problem(HttpStatus.BAD_REQUEST, "Missing parameter " + failure.getParameterName(),
                Map.of(failure.getParameterName(), List.of("This field is required."))));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception failure) {
        log.error("Unexpected failure while serving a request", failure);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error", Map.of());
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail,
            Map<String, List<String>> fieldErrors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("about:blank"));
        if (!fieldErrors.isEmpty()) {
            problem.setProperty("errors", fieldErrors);
        }
        return ResponseEntity.status(status)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    private static String fieldPath(DatabindException failure) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : failure.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> asObject(ResponseEntity<ProblemDetail> response) {
        return (ResponseEntity) response;
    }
}
