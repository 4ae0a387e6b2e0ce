package io.chat.system;

/** Field error texts of the text rules that every REST field shares. */
public final class TextRules {

    /** A field holding U+0000 or an unpaired surrogate (see {@link TextCharacters}). */
    public static final String INVALID_CHARACTERS = "This field contains invalid characters.";
    /** bcrypt's limit, in bytes of UTF-8. */
    public static final int MAX_PASSWORD_BYTES = 72;
    public static final String PASSWORD_TOO_LONG = "This password is too long. It must be at most 72 bytes in UTF-8.";

    private TextRules() {
    }
}
