package io.chat.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
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

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;

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
        JwtDecoder hmac = hmacDecoder(key, TokenClaims.ACCESS);
        JwtDecoder external = settings.jwkSetUri() == null ? null : externalDecoder(settings);
        JwtDecoder byAlgorithm = token -> {
            if (isHmac(token)) {
                return hmac.decode(token);
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
        JwtDecoder hmac = hmacDecoder(key, TokenClaims.REFRESH);
        return hmac::decode;
    }

    @Bean
    JwtEncoder jwtEncoder(SigningKey key) {
        return NimbusJwtEncoder.withSecretKey(key.key()).build();
    }

    /** Reads the header only: the decoder that follows parses the claims (every socket open pays for this). */
    static boolean isHmac(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            throw new BadJwtException("Malformed token");
        }
        try {
            Header header = Header.parse(new Base64URL(token.substring(0, dot)));
            return JWSAlgorithm.Family.HMAC_SHA.contains(header.getAlgorithm());
        } catch (java.text.ParseException | RuntimeException malformed) {
            throw new BadJwtException("Malformed token");
        }
    }

    private static JwtDecoder hmacDecoder(SigningKey key, String requiredType) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(key.key())
                .macAlgorithm(MacAlgorithm.HS256)
                .validateType(false)
                .build();
        // An access token may omit token_type (tokens of other issuers); a refresh token must say so.
        JwtClaimValidator<Object> tokenType = new JwtClaimValidator<>(TokenClaims.TOKEN_TYPE,
                TokenClaims.REFRESH.equals(requiredType)
                        ? TokenClaims.REFRESH::equals
                        : type -> type == null || TokenClaims.ACCESS.equals(type));
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(expiryRequired(), tokenType));
        return decoder;
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
