package io.chat.auth;

import java.time.Instant;

/** What an access token proves: who the caller is, and until when. */
public record VerifiedAccess(AuthenticatedUser user, Instant expiresAt) {
}
