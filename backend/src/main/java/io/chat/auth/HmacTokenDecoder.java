package io.chat.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.SecretKey;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies our HS256 tokens (and SimpleJWT's): the header must say {@code HS256} and nothing
 * critical, the signature must match (compared in constant time), the expiry must be present and not
 * passed (no leeway, as SimpleJWT), a not-before time must have come, and {@code token_type} must be
 * the one required ({@code access} may also be absent). The same rules as Spring's Nimbus decoder
 * configured that way, written out because Nimbus decodes every part of a token with a constant-time
 * Base64 codec, meant for secret material and needless for a token's public parts, and converts the
 * claims twice: with a token of its own per socket that was a fifth of the server's CPU per open
 * (JFR, 2026-12-08).
 */
final class HmacTokenDecoder implements JwtDecoder {

    static final String ALGORITHM = "HS256";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    private static final Set<String> TIMES = Set.of(JwtClaimNames.EXP, JwtClaimNames.IAT, JwtClaimNames.NBF);

    private final SecretKey key;
    private final String requiredType;
    private final Clock clock;
    /** A Mac is not thread-safe, and making one looks up the provider: one per thread. */
    private final ThreadLocal<Mac> macs;

    /** @param requiredType {@link TokenClaims#ACCESS} (which may also be absent) or {@link TokenClaims#REFRESH} */
    HmacTokenDecoder(SecretKey key, String requiredType, Clock clock) {
        this.key = key;
        this.requiredType = requiredType;
        this.clock = clock;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * The token's header, decoded but not verified.
     *
     * @throws BadJwtException when it is not a JSON object in Base64url
     */
    static Map<String, Object> header(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw new BadJwtException("Malformed token");
        }
        return object(token.substring(0, dot));
    }

    @Override
    public Jwt decode(String token) {
        return decode(token, header(token));
    }

    /** @param header the token's header, already read with {@link #header(String)} */
    Jwt decode(String token, Map<String, Object> header) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new BadJwtException("Malformed token");
        }
        if (!ALGORITHM.equals(header.get("alg"))) {
            throw new BadJwtException("Unsupported token algorithm");
        }
        if (header.containsKey("crit")) {
            throw new BadJwtException("Unsupported critical header");
        }
        byte[] expected = macs.get().doFinal(token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
        if (!MessageDigest.isEqual(expected, bytes(token.substring(second + 1)))) {
            throw new BadJwtException("Invalid signature");
        }
        Map<String, Object> claims = claims(object(token.substring(first + 1, second)));
        validate(claims);
        return Jwt.withTokenValue(token).headers(all -> all.putAll(header)).claims(all -> all.putAll(claims)).build();
    }

    /** Times as {@link Instant}s, the subject and audience as Spring's {@code Jwt} expects them. */
    private static Map<String, Object> claims(Map<String, Object> raw) {
        Map<String, Object> claims = new LinkedHashMap<>(raw);
        for (String time : TIMES) {
            Object value = claims.get(time);
            if (value instanceof Number seconds) {
                claims.put(time, Instant.ofEpochSecond(seconds.longValue()));
            } else if (value != null) {
                throw new BadJwtException("Malformed token: " + time + " is not a number");
            }
        }
        Object subject = claims.get(JwtClaimNames.SUB);
        if (subject != null && !(subject instanceof String)) {
            claims.put(JwtClaimNames.SUB, subject.toString());
        }
        if (claims.get(JwtClaimNames.AUD) instanceof String audience) {
            claims.put(JwtClaimNames.AUD, List.of(audience));
        }
        if (claims.isEmpty()) {
            throw new BadJwtException("Malformed token: no claims");
        }
        return claims;
    }

    private void validate(Map<String, Object> claims) {
        Instant now = clock.instant();
        if (!(claims.get(JwtClaimNames.EXP) instanceof Instant expiry)) {
            throw new BadJwtException("Token has no expiry");
        }
        if (now.isAfter(expiry)) {
            throw new BadJwtException("Jwt expired at " + expiry);
        }
        if (claims.get(JwtClaimNames.NBF) instanceof Instant notBefore && now.isBefore(notBefore)) {
            throw new BadJwtException("Jwt used before " + notBefore);
        }
        Object type = claims.get(TokenClaims.TOKEN_TYPE);
        boolean typeAccepted = TokenClaims.REFRESH.equals(requiredType) ? TokenClaims.REFRESH.equals(type)
                : type == null || TokenClaims.ACCESS.equals(type);
        if (!typeAccepted) {
            throw new BadJwtException("Wrong token type");
        }
    }

    private static Map<String, Object> object(String part) {
        try {
            Map<String, Object> object = JSON.readValue(bytes(part), OBJECT);
            if (object == null) {
                throw new BadJwtException("Malformed token");
            }
            return object;
        } catch (JacksonException notAnObject) {
            throw new BadJwtException("Malformed token");
        }
    }

    private static byte[] bytes(String part) {
        try {
            return BASE64URL.decode(part);
        } catch (IllegalArgumentException notBase64) {
            throw new BadJwtException("Malformed token");
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("every Java platform has HmacSHA256", impossible);
        }
    }
}
