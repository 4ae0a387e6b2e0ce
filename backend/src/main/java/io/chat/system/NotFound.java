package io.chat.system;

import org.springframework.http.HttpStatus;

/** The thing asked for does not exist, or the caller may not know that it does. */
public class NotFound extends ApiException {

    public NotFound(String detail) {
        super(HttpStatus.NOT_FOUND, detail);
    }
}
