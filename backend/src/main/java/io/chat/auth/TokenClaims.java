package io.chat.auth;

/** Claim names and values of Django REST framework SimpleJWT tokens, which ours are compatible with. */
final class TokenClaims {

    static final String USER_ID = "user_id";
    static final String TOKEN_TYPE = "token_type";
    static final String ACCESS = "access";
    static final String REFRESH = "refresh";

    private TokenClaims() {
    }
}
