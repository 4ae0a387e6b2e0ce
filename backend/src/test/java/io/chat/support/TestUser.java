package io.chat.support;

/** A registered user and a valid access token of theirs. */
public record TestUser(long id, String username, String password, String access, String refresh) {
}
