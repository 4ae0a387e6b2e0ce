package io.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** {@code chat.passwords.bcrypt-strength}: what bcrypt accepts, and hashes of another strength still verifying. */
class PasswordSettingsTest {

    @Test
    void acceptsEveryStrengthBcryptCanUse() {
        assertThat(new PasswordSettings(4).bcryptStrength()).isEqualTo(4);
        assertThat(new PasswordSettings(10).bcryptStrength()).isEqualTo(10);
        assertThat(new PasswordSettings(31).bcryptStrength()).isEqualTo(31);
    }

    @Test
    void refusesAStrengthOutsideFourToThirtyOneNamingTheSetting() {
        for (int bad : new int[] {-1, 0, 3, 32}) {
            assertThatIllegalArgumentException().as("strength %d", bad).isThrownBy(() -> new PasswordSettings(bad))
                    .withMessageContaining("chat.passwords.bcrypt-strength")
                    .withMessageContaining("between 4 and 31")
                    .withMessageContaining("got " + bad);
        }
    }

    @Test
    void aHashMadeAtAnotherStrengthStillVerifies() {
        String atTen = new BCryptPasswordEncoder(10).encode("secret-pass");
        BCryptPasswordEncoder atFour = new BCryptPasswordEncoder(new PasswordSettings(4).bcryptStrength());
        assertThat(atFour.matches("secret-pass", atTen)).isTrue();
        assertThat(atFour.matches("other-pass", atTen)).isFalse();
        assertThat(atFour.encode("secret-pass")).startsWith("$2a$04$");
    }
}
