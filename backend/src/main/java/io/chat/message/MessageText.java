package io.chat.message;

import io.chat.system.TextCharacters;

/**
 * The text rules of the contract, in its order: not empty after trimming, not too long, no U+0000
 * nor unpaired surrogate (see {@link TextCharacters}).
 * White space is Unicode white space as Python's {@code str.strip()} sees it (U+00A0 included), and
 * length is counted in code points, so 1000 emoji fit in 1000 characters.
 */
public final class MessageText {

    private MessageText() {
    }

    /** @return the text trimmed, as it is stored */
    public static String validate(String raw, int maxLength) {
        if (raw == null) {
            throw MessageRejected.empty();
        }
        String text = strip(raw);
        if (text.isEmpty()) {
            throw MessageRejected.empty();
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            throw MessageRejected.tooLong(maxLength);
        }
        if (!TextCharacters.isStorable(text)) {
            throw MessageRejected.invalidCharacters();
        }
        return text;
    }

    static String strip(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && isWhitespace(raw.codePointAt(start))) {
            start += Character.charCount(raw.codePointAt(start));
        }
        while (end > start && isWhitespace(raw.codePointBefore(end))) {
            end -= Character.charCount(raw.codePointBefore(end));
        }
        return raw.substring(start, end);
    }

    /** Python's {@code str.isspace()}: Java's white space plus the no-break spaces and NEL. */
    static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == 0x85;
    }
}
