package io.chat.system;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/** A request body or parameter that breaks a rule; answered 400 with the offending fields. */
public class InvalidRequest extends ApiException {

    private final Map<String, List<String>> fieldErrors;

    public InvalidRequest(String detail, Map<String, List<String>> fieldErrors) {
        super(HttpStatus.BAD_REQUEST, detail);
        this.fieldErrors = Collections.unmodifiableMap(new LinkedHashMap<>(fieldErrors));
    }

    public static InvalidRequest field(String field, String problem) {
        return new InvalidRequest("Invalid " + field + ": " + problem, Map.of(field, List.of(problem)));
    }

    @Override
    public Map<String, List<String>> fieldErrors() {
        return fieldErrors;
    }
}
