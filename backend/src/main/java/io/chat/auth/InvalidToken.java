package io.chat.auth;

/** A token that is missing, malformed, wrongly signed, expired, of the wrong type or of an unknown user. */
public class InvalidToken extends RuntimeException {

    public InvalidToken(String reason) {
        super(reason, null, false, false);
    }
}
