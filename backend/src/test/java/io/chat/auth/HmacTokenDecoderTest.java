package io.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * The HS256 decoder against tokens made by the JOSE library that signs ours (and by hand, for what
 * it would never make): what it accepts, it reads as Spring's Nimbus decoder does; everything else
 * is refused with a {@link BadJwtException}, which every caller turns into "invalid token".
 */
class HmacTokenDecoderTest {

    static final SecretKey KEY = new SecretKeySpec("a-secret-that-is-at-least-32-bytes-long!".getBytes(
            StandardCharsets.UTF_8), "HmacSHA256");
    static final Instant NOW = Instant.parse("2026-12-08T01:00:00Z");
    static final HmacTokenDecoder ACCESS = new HmacTokenDecoder(KEY, TokenClaims.ACCESS, Clock.fixed(NOW,
            ZoneOffset.UTC));
    static final HmacTokenDecoder REFRESH = new HmacTokenDecoder(KEY, TokenClaims.REFRESH, Clock.fixed(NOW,
            ZoneOffset.UTC));
    static final NimbusJwtEncoder ENCODER = NimbusJwtEncoder.withSecretKey(KEY).build();

    static String token(Map<String, Object> claims) {
        JwtClaimsSet.Builder set = JwtClaimsSet.builder();
        claims.forEach(set::claim);
        return ENCODER.encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(), set.build()))
                .getTokenValue();
    }

    @Test
    void readsWhatTheEncoderWroteAsSpringsNimbusDecoderReadsIt() {
        String token = token(Map.of("token_type", "access", "user_id", 42, "jti", "abc",
                "iat", NOW.minusSeconds(60), "exp", NOW.plusSeconds(300)));
        Jwt ours = ACCESS.decode(token);
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withSecretKey(KEY).build();
        nimbus.setJwtValidator(jwt -> org.springframework.security.oauth2.core.OAuth2TokenValidatorResult.success());
        Jwt theirs = nimbus.decode(token);
        assertThat(ours.getTokenValue()).isEqualTo(token);
        assertThat(ours.getExpiresAt()).isEqualTo(theirs.getExpiresAt()).isEqualTo(NOW.plusSeconds(300));
        assertThat(ours.getIssuedAt()).isEqualTo(theirs.getIssuedAt());
        assertThat(ours.getHeaders()).containsEntry("alg", "HS256");
        assertThat(((Number) ours.getClaims().get("user_id")).longValue()).isEqualTo(42);
        assertThat(TokenUserResolver.userId(ours.getClaims().get("user_id"))).isEqualTo(42);
        assertThat(ours.getClaimAsString("jti")).isEqualTo("abc");
        assertThat(ours.getClaimAsString("token_type")).isEqualTo("access");
    }

    @Test
    void anAccessTokenMayOmitItsTypeARefreshTokenMustSaySo() {
        String untyped = token(Map.of("sub", "7", "exp", NOW.plusSeconds(60)));
        assertThat(ACCESS.decode(untyped).getSubject()).isEqualTo("7");
        assertThatThrownBy(() -> REFRESH.decode(untyped)).isInstanceOf(BadJwtException.class);
        String refresh = token(Map.of("token_type", "refresh", "user_id", 7, "exp", NOW.plusSeconds(60)));
        assertThat(REFRESH.decode(refresh).getClaims()).containsKey("user_id");
        assertThatThrownBy(() -> ACCESS.decode(refresh)).isInstanceOf(BadJwtException.class)
                .hasMessage("Wrong token type");
    }

    @Test
    void expiryIsRequiredAndHasNoLeewayNotBeforeMustHaveCome() {
        assertThatThrownBy(() -> ACCESS.decode(token(Map.of("user_id", 1, "iat", NOW))))
                .isInstanceOf(BadJwtException.class).hasMessage("Token has no expiry");
        assertThatThrownBy(() -> ACCESS.decode(token(Map.of("user_id", 1, "exp", NOW.minusSeconds(1)))))
                .isInstanceOf(BadJwtException.class).hasMessageStartingWith("Jwt expired at");
        assertThat(ACCESS.decode(token(Map.of("user_id", 1, "exp", NOW))).getExpiresAt()).isEqualTo(NOW);
        assertThatThrownBy(() -> ACCESS.decode(token(Map.of("user_id", 1, "exp", NOW.plusSeconds(60),
                "nbf", NOW.plusSeconds(1))))).isInstanceOf(BadJwtException.class).hasMessageStartingWith(
                        "Jwt used before");
    }

    @Test
    void aSignatureOfAnotherKeyOrATamperedPartIsRefused() {
        String token = token(Map.of("user_id", 1, "exp", NOW.plusSeconds(60)));
        String[] parts = token.split("\\.");
        String otherKey = NimbusJwtEncoder.withSecretKey(new SecretKeySpec(
                "another-secret-that-is-32-bytes-long!!!!".getBytes(StandardCharsets.UTF_8), "HmacSHA256")).build()
                .encode(JwtEncoderParameters.from(JwsHeader.with(MacAlgorithm.HS256).build(),
                        JwtClaimsSet.builder().claim("user_id", 1).expiresAt(NOW.plusSeconds(60)).build()))
                .getTokenValue();
        assertThatThrownBy(() -> ACCESS.decode(otherKey)).hasMessage("Invalid signature");
        String elevated = parts[0] + "." + base64("{\"user_id\":2,\"exp\":" + NOW.plusSeconds(60).getEpochSecond()
                + "}") + "." + parts[2];
        assertThatThrownBy(() -> ACCESS.decode(elevated)).hasMessage("Invalid signature");
        assertThatThrownBy(() -> ACCESS.decode(parts[0] + "." + parts[1] + ".")).hasMessage("Invalid signature");
    }

    @Test
    void onlyHs256WithNothingCriticalIsAccepted() {
        String claims = "{\"user_id\":1,\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}";
        assertThatThrownBy(() -> ACCESS.decode(signed("{\"alg\":\"none\"}", claims)))
                .hasMessage("Unsupported token algorithm");
        assertThatThrownBy(() -> ACCESS.decode(base64("{\"alg\":\"none\"}") + "." + base64(claims) + "."))
                .hasMessage("Unsupported token algorithm");
        assertThatThrownBy(() -> ACCESS.decode(signed("{\"alg\":\"HS512\"}", claims)))
                .hasMessage("Unsupported token algorithm");
        assertThatThrownBy(() -> ACCESS.decode(signed("{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", claims)))
                .hasMessage("Unsupported critical header");
        assertThat(ACCESS.decode(signed("{\"alg\":\"HS256\",\"typ\":\"anything\"}", claims)).getClaims())
                .containsKey("user_id");
    }

    @Test
    void malformedTokensAreRefusedAsMalformed() {
        String claims = "{\"user_id\":1,\"exp\":" + NOW.plusSeconds(60).getEpochSecond() + "}";
        for (String malformed : List.of("", "abc", "a.b", "a.b.c.d", ".x.y", "@@.@@.@@",
                base64("[1]") + "." + base64(claims) + ".x", base64("not json") + ".x.y",
                signed("{\"alg\":\"HS256\"}", "[]"), signed("{\"alg\":\"HS256\"}", "{\"exp\":\"tomorrow\"}"),
                signed("{\"alg\":\"HS256\"}", "{}"))) {
            assertThatThrownBy(() -> ACCESS.decode(malformed)).as(malformed).isInstanceOf(BadJwtException.class);
        }
        assertThatThrownBy(() -> TokenDecoders.isHmac("nodot")).isInstanceOf(BadJwtException.class);
        assertThat(TokenDecoders.isHmac(signed("{\"alg\":\"HS384\"}", claims))).isTrue();
        assertThat(TokenDecoders.isHmac(base64("{\"alg\":\"RS256\"}") + ".x.y")).isFalse();
    }

    static String signed(String header, String claims) {
        String content = base64(header) + "." + base64(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(KEY);
            return content + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(content.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
