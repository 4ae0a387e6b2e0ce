package io.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokenCacheTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    private final MovableClock clock = new MovableClock(START);
    /** What the decoder was asked to verify, in order. */
    private final List<String> verified = new ArrayList<>();
    /** Expiry of each token the decoder accepts; any other token is refused. */
    private final Map<String, Instant> valid = new HashMap<>();

    private final JwtDecoder decoder = token -> {
        verified.add(token);
        Instant expiry = valid.get(token);
        if (expiry == null || !clock.instant().isBefore(expiry)) {
            throw new BadJwtException("refused " + token);
        }
        return Jwt.withTokenValue(token).header("alg", "HS256").subject(token)
                .issuedAt(START).expiresAt(expiry).build();
    };

    private VerifiedTokenCache cache(int capacity) {
        return new VerifiedTokenCache(decoder, clock, capacity);
    }

    @Test
    void aTokenVerifiedOnceIsNotVerifiedAgainBeforeItExpires() {
        valid.put("a", START.plusSeconds(300));
        VerifiedTokenCache cache = cache(10);

        Jwt first = cache.decode("a");
        clock.advance(Duration.ofSeconds(299));
        Jwt second = cache.decode("a");

        assertThat(second).isSameAs(first);
        assertThat(verified).containsExactly("a");
    }

    @Test
    void anExpiredTokenGoesBackToTheDecoderAndIsRefused() {
        valid.put("a", START.plusSeconds(300));
        VerifiedTokenCache cache = cache(10);
        cache.decode("a");

        clock.advance(Duration.ofSeconds(300));

        assertThatThrownBy(() -> cache.decode("a")).isInstanceOf(BadJwtException.class);
        assertThat(verified).containsExactly("a", "a");
        assertThat(cache.size()).isZero();
    }

    @Test
    void refusedTokensAreNeverRemembered() {
        VerifiedTokenCache cache = cache(10);

        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);

        assertThat(verified).containsExactly("forged", "forged");
        assertThat(cache.size()).isZero();
    }

    @Test
    void onlyTheSameTokenHits() {
        valid.put("a", START.plusSeconds(300));
        valid.put("b", START.plusSeconds(300));
        VerifiedTokenCache cache = cache(10);

        assertThat(cache.decode("a").getSubject()).isEqualTo("a");
        assertThat(cache.decode("b").getSubject()).isEqualTo("b");
        assertThatThrownBy(() -> cache.decode("a ")).isInstanceOf(BadJwtException.class);

        assertThat(verified).containsExactly("a", "b", "a ");
    }

    @Test
    void whenFullExpiredEntriesMakeRoomFirst() {
        valid.put("short", START.plusSeconds(10));
        valid.put("long", START.plusSeconds(300));
        valid.put("new", START.plusSeconds(300));
        VerifiedTokenCache cache = cache(2);
        cache.decode("short");
        cache.decode("long");

        clock.advance(Duration.ofSeconds(20));
        cache.decode("new");
        cache.decode("long");

        assertThat(cache.size()).isEqualTo(2);
        assertThat(verified).containsExactly("short", "long", "new");
    }

    @Test
    void whenFullOfCurrentTokensTheCacheStartsOver() {
        valid.put("a", START.plusSeconds(300));
        valid.put("b", START.plusSeconds(300));
        valid.put("c", START.plusSeconds(300));
        VerifiedTokenCache cache = cache(2);
        cache.decode("a");
        cache.decode("b");

        cache.decode("c");
        cache.decode("a");

        assertThat(cache.size()).isEqualTo(2);
        assertThat(verified).containsExactly("a", "b", "c", "a");
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
