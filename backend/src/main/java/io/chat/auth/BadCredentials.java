package io.chat.auth;

import org.springframework.http.HttpStatus;

import io.chat.system.ApiException;

/** Login with an unknown username or a wrong password; SimpleJWT's wording, which says neither. */
class BadCredentials extends ApiException {

    BadCredentials() {
        super(HttpStatus.UNAUTHORIZED, "No active account found with the given credentials");
    }
}
