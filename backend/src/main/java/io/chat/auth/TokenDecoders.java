package io.chat.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;


/**
 * The token codecs. Access tokens are HS256 with our secret (ours or Django SimpleJWT's), or, when
 * {@code chat.jwt.jwk-set-uri} is set, RS256/ES256 from an external OpenID provider. {@code alg: none}
 * and every other algorithm are refused. Expiry is checked with no leeway, as SimpleJWT does.
 */
@Configuration(proxyBeanMethods = false)
class TokenDecoders {

    /**
     * Verifies access tokens for REST (through Spring Security) and WebSocket opens alike, remembering
     * the verified ones until they expire.
     */
    @Bean
    JwtDecoder accessTokenDecoder(SigningKey key, JwtSettings settings) {
        HmacTokenDecoder hmac = new HmacTokenDecoder(key.key(), TokenClaims.ACCESS, Clock.systemUTC());
        JwtDecoder external = settings.jwkSetUri() == null ? null : externalDecoder(settings);
        JwtDecoder byAlgorithm = token -> {
            Map<String, Object> header = HmacTokenDecoder.header(token); // read once, for both steps
            if (isHmac(header)) {
                return hmac.decode(token, header);
            }
            if (external != null) {
                return external.decode(token);
            }
            throw new BadJwtException("Unsupported token algorithm");
        };
        return new VerifiedTokenCache(byAlgorithm, Clock.systemUTC(), VerifiedTokenCache.DEFAULT_CAPACITY);
    }

    @Bean
    RefreshTokenDecoder refreshTokenDecoder(SigningKey key) {
        JwtDecoder hmac = new HmacTokenDecoder(key.key(), TokenClaims.REFRESH, Clock.systemUTC());
        return hmac::decode;
    }

    @Bean
    JwtEncoder jwtEncoder(SigningKey key) {
        return NimbusJwtEncoder.withSecretKey(key.key()).build();
    }

    /** Reads the header only: the decoder that follows verifies the rest. */
    static boolean isHmac(String token) {
        return isHmac(HmacTokenDecoder.header(token));
    }

    private static boolean isHmac(Map<String, Object> header) {
        return header.get("alg") instanceof String algorithm && algorithm.startsWith("HS");
    }

    private static JwtDecoder externalDecoder(JwtSettings settings) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString())
                .jwsAlgorithms(algorithms -> algorithms.addAll(Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256)))
                .validateType(false)
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(expiryRequired(),
                new JwtClaimValidator<>(JwtClaimNames.SUB, Objects::nonNull)));
        return decoder;
    }

    private static OAuth2TokenValidator<Jwt> expiryRequired() {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        timestamps.setAllowEmptyExpiryClaim(false);
        return timestamps;
    }

    /** Verifies refresh tokens; a separate type so it is never taken for the access decoder. */
    @FunctionalInterface
    interface RefreshTokenDecoder {
        Jwt decode(String token);
    }
}
