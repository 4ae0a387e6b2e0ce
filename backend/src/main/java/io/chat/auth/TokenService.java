package io.chat.auth;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Service;

/** Issues tokens in SimpleJWT's shape, so clients of the Django service keep working unchanged. */
@Service
class TokenService {

    private final JwtEncoder encoder;
    private final TokenDecoders.RefreshTokenDecoder refreshDecoder;
    private final UserDirectory directory;
    private final JwtSettings settings;

    TokenService(JwtEncoder encoder, TokenDecoders.RefreshTokenDecoder refreshDecoder, UserDirectory directory,
            JwtSettings settings) {
        this.encoder = encoder;
        this.refreshDecoder = refreshDecoder;
        this.directory = directory;
        this.settings = settings;
    }

    TokenPair issue(long userId) {
        return new TokenPair(mint(userId, TokenClaims.ACCESS), mint(userId, TokenClaims.REFRESH));
    }

    /** @throws InvalidToken when the refresh token is not valid, or its user is gone */
    String refresh(String refreshToken) {
        Jwt refresh;
        try {
            refresh = refreshDecoder.decode(refreshToken);
        } catch (JwtException invalid) {
            throw new InvalidToken(invalid.getMessage());
        }
        long userId = TokenUserResolver.userId(refresh.getClaims().get(TokenClaims.USER_ID));
        if (!directory.exists(userId)) {
            throw new InvalidToken("Unknown user");
        }
        return mint(userId, TokenClaims.ACCESS);
    }

    private String mint(long userId, String type) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(TokenClaims.ACCESS.equals(type)
                ? settings.accessTokenLifetime() : settings.refreshTokenLifetime());
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .claim(TokenClaims.TOKEN_TYPE, type)
                .issuedAt(now)
                .expiresAt(expires)
                .id(UUID.randomUUID().toString().replace("-", ""))
                .claim(TokenClaims.USER_ID, userId)
                .build();
        JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).type("JWT").build();
        return encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
    }

    /** SimpleJWT's answer to a login. */
    record TokenPair(String access, String refresh) {
    }
}
