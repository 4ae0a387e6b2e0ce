package io.chat.auth;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How passwords are hashed. Registration and login each pay for one bcrypt hash, which is the
 * point in production (a stolen hash is slow to guess) and the bottleneck of a load test that
 * registers thousands of users on two cores: at strength 10 a hash takes tens of milliseconds, at
 * 4 well under one. A stored hash carries its own strength, so hashes made at any strength keep
 * verifying whatever this is set to; only new hashes use it.
 *
 * @param bcryptStrength log2 of bcrypt's rounds for new hashes, 4 to 31; the default 10 is Spring
 *     Security's. Lower it for load tests only
 */
@ConfigurationProperties("chat.passwords")
public record PasswordSettings(@DefaultValue("10") int bcryptStrength) {

    static final int MIN_STRENGTH = 4;
    static final int MAX_STRENGTH = 31;

    /** Refuses a strength bcrypt cannot use at start, rather than at the first registration. */
    public PasswordSettings {
        if (bcryptStrength < MIN_STRENGTH || bcryptStrength > MAX_STRENGTH) {
            throw new IllegalArgumentException("chat.passwords.bcrypt-strength must be between " + MIN_STRENGTH
                    + " and " + MAX_STRENGTH + ", got " + bcryptStrength + " (10 is the default; 4 is for load"
                    + " tests only)");
        }
    }
}
