package io.chat.auth;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Service;

/** Verifies an access token outside Spring Security's filter chain: the WebSocket upgrade uses it. */
@Service
public class AccessTokenVerifier {

    private final JwtDecoder accessTokenDecoder;
    private final TokenUserResolver resolver;

    AccessTokenVerifier(JwtDecoder accessTokenDecoder, TokenUserResolver resolver) {
        this.accessTokenDecoder = accessTokenDecoder;
        this.resolver = resolver;
    }

    /** @throws InvalidToken whatever is wrong with the token, without saying which secret part failed */
    public VerifiedAccess verify(String token) {
        if (token == null || token.isBlank()) {
            throw new InvalidToken("Missing token");
        }
        Jwt jwt;
        try {
            jwt = accessTokenDecoder.decode(token);
        } catch (JwtException invalid) {
            throw new InvalidToken(invalid.getMessage());
        }
        return new VerifiedAccess(resolver.resolve(jwt), jwt.getExpiresAt());
    }
}
