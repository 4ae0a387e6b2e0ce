package io.chat.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The loops must judge every character exactly as the firewall's own patterns do. */
class HeaderCharactersTest {

    private static final Pattern NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsByTheFirewallsPatterns() {
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            assertThat(HeaderCharacters.assignedAndNotControl(text))
                    .as("name with U+%04X", codePoint).isEqualTo(NAMES.matcher(text).matches());
            assertThat(HeaderCharacters.assignedAndNotControlOrTab(text))
                    .as("value with U+%04X", codePoint).isEqualTo(VALUES.matcher(text).matches());
        }
    }

    @Test
    void typicalAndHostileHeadersAreJudgedAsByTheFirewallsPatterns() {
        List<String> samples = List.of("", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "text/html;\tq=0.9",
                "evil\r\nSet-Cookie: x=1", "nul\0byte", "del\u007f", "c1\u0085control", "\ud83d\ude00 emoji",
                "lone \ud800 surrogate", "unassigned \u0378", "Привет");
        for (String sample : samples) {
            assertThat(HeaderCharacters.assignedAndNotControl(sample)).as(sample)
                    .isEqualTo(NAMES.matcher(sample).matches());
            assertThat(HeaderCharacters.assignedAndNotControlOrTab(sample)).as(sample)
                    .isEqualTo(VALUES.matcher(sample).matches());
        }
    }
}
