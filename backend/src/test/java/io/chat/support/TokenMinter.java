package io.chat.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/** Mints tokens as other issuers would (Django SimpleJWT, a forger, a careless client), for tests. */
public final class TokenMinter {

    /** The secret of {@code application-test.properties}. */
    public static final String TEST_SECRET = "test-secret-that-is-at-least-32-bytes-long!!";

    private TokenMinter() {
    }

    /** A SimpleJWT-shaped access token of the user, valid for the given seconds. */
    public static String access(long userId, long validSeconds) {
        return sign(TEST_SECRET, claims(userId, "access", validSeconds).build());
    }

    public static JWTClaimsSet.Builder claims(Object userId, String tokenType, long validSeconds) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(validSeconds)))
                .jwtID(UUID.randomUUID().toString().replace("-", ""));
        if (userId != null) {
            claims.claim("user_id", userId);
        }
        if (tokenType != null) {
            claims.claim("token_type", tokenType);
        }
        return claims;
    }

    public static String sign(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(com.nimbusds.jose.JOSEObjectType.JWT).build(), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException failure) {
            throw new IllegalStateException(failure);
        }
    }

    /** An unsigned token ({@code alg: none}) claiming to be the user. */
    public static String unsigned(long userId) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = base64.encodeToString(Api.json(Map.of("user_id", userId, "token_type", "access",
                "exp", Instant.now().plusSeconds(300).getEpochSecond())).getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }
}
