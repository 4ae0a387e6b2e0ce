package io.chat.auth;

/** The public face of a user, as every frame and REST answer shows it. */
public record UserSummary(long id, String username, String firstName, String lastName) {
}
