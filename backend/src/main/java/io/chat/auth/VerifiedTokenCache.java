package io.chat.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Remembers access tokens that passed verification, until they expire. A client opens one socket
 * per chat and reconnects with the token it already holds, so most opens present a token that was
 * verified moments ago; verifying it again (parsing, HMAC, claim conversion) was about a tenth of
 * the server's CPU per socket open.
 *
 * <p>A hit needs the same token, compared by its SHA-256 digest (a lookup takes the same time
 * whatever prefix of a cached token a forged one shares), and is never honoured past the token's
 * expiry: from then on the token goes to the decoder again, which refuses it. Tokens are not
 * revocable before their expiry in this API, so a cached verdict cannot go stale otherwise. The
 * cache is bounded: when full, expired entries are dropped, and if that frees nothing, all are.
 */
final class VerifiedTokenCache implements JwtDecoder {

    /** A few thousand active users' tokens; each entry is the decoded token, about 2 KiB. */
    static final int DEFAULT_CAPACITY = 10_000;

    private final JwtDecoder decoder;
    private final Clock clock;
    private final int capacity;
    private final ConcurrentHashMap<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(JwtDecoder decoder, Clock clock, int capacity) {
        this.decoder = decoder;
        this.clock = clock;
        this.capacity = capacity;
    }

    @Override
    public Jwt decode(String token) {
        String key = digest(token);
        Jwt known = verified.get(key);
        Instant now = clock.instant();
        if (known != null) {
            if (isCurrent(known, now)) {
                return known;
            }
            verified.remove(key, known);
        }
        Jwt jwt = decoder.decode(token);
        if (isCurrent(jwt, now)) {
            makeRoom(now);
            verified.put(key, jwt);
        }
        return jwt;
    }

    int size() {
        return verified.size();
    }

    private static boolean isCurrent(Jwt jwt, Instant now) {
        Instant expiry = jwt.getExpiresAt();
        return expiry != null && now.isBefore(expiry);
    }

    private void makeRoom(Instant now) {
        if (verified.size() < capacity) {
            return;
        }
        verified.values().removeIf(jwt -> !isCurrent(jwt, now));
        if (verified.size() >= capacity) {
            verified.clear();
        }
    }

    private static String digest(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform has SHA-256", impossible);
        }
    }
}
