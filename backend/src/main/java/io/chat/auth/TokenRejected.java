package io.chat.auth;

import org.springframework.http.HttpStatus;

import io.chat.system.ApiException;

/** A refresh token that is not valid; SimpleJWT's wording. */
class TokenRejected extends ApiException {

    TokenRejected() {
        super(HttpStatus.UNAUTHORIZED, "Token is invalid or expired");
    }
}
