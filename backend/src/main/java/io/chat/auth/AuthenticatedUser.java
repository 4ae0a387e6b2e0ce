package io.chat.auth;

import java.security.Principal;

/** The caller behind a verified access token: the principal of REST requests and WebSocket sessions. */
public record AuthenticatedUser(long id, String username) implements Principal {

    @Override
    public String getName() {
        return username;
    }
}
