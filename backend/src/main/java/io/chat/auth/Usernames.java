package io.chat.auth;

import java.util.regex.Pattern;

/** Django's username rule: letters, digits and {@code @ . + - _}, at most 150 characters. */
final class Usernames {

    static final int MAX_LENGTH = 150;
    private static final Pattern ALLOWED = Pattern.compile("[\\w.@+-]+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern DISALLOWED_CHAR = Pattern.compile("[^\\w.@+-]", Pattern.UNICODE_CHARACTER_CLASS);

    private Usernames() {
    }

    static boolean isValid(String username) {
        return username.length() <= MAX_LENGTH && ALLOWED.matcher(username).matches();
    }

    /** Turns a provider's preferred name into an allowed one by dropping what Django would refuse. */
    static String sanitize(String wanted) {
        return DISALLOWED_CHAR.matcher(wanted).replaceAll("");
    }
}
