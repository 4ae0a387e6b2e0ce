package io.chat.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/** The HS256 key that signs and verifies our tokens (and those of a Django service sharing the secret). */
@Component
class SigningKey {

    /** HS256 needs a key at least as long as its hash: shorter keys are refused by the JOSE library too. */
    static final int MIN_SECRET_BYTES = 32;

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    private final SecretKey key;

    SigningKey(JwtSettings settings) {
        this.key = new SecretKeySpec(secretBytes(settings.secret()), "HmacSHA256");
    }

    SecretKey key() {
        return key;
    }

    private static byte[] secretBytes(String secret) {
        if (!StringUtils.hasLength(secret)) {
            log.warn("chat.jwt.secret is not set: using a random secret for this run only. Tokens will not "
                    + "survive a restart and other instances will not accept them; set chat.jwt.secret "
                    + "(at least {} bytes) for anything but a trial", MIN_SECRET_BYTES);
            byte[] random = new byte[64];
            new SecureRandom().nextBytes(random);
            return random;
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalStateException("chat.jwt.secret is " + bytes.length + " bytes long; HS256 needs at least "
                    + MIN_SECRET_BYTES + " bytes. Set a longer secret (for example: openssl rand -hex 32)");
        }
        return bytes;
    }
}
