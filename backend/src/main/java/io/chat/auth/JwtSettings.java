package io.chat.auth;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token settings.
 *
 * @param secret HS256 secret shared with any other issuer (Django SimpleJWT's signing key); at least
 *     32 bytes; when unset a random one is made at each start, so tokens die with the process
 * @param jwkSetUri optional JWK set of an external OpenID provider whose RS256/ES256 tokens are accepted too
 * @param accessTokenLifetime SimpleJWT's default is 5 minutes
 * @param refreshTokenLifetime SimpleJWT's default is 1 day
 */
@ConfigurationProperties("chat.jwt")
public record JwtSettings(String secret, URI jwkSetUri,
        @DefaultValue("5m") Duration accessTokenLifetime,
        @DefaultValue("1d") Duration refreshTokenLifetime) {
}
