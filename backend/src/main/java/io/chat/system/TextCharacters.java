package io.chat.system;

/**
 * Characters a JSON string can carry but UTF-8 (so PostgreSQL, and every client) cannot: unpaired
 * surrogates, which the JSON escape {@code \ud800} alone produces, and U+0000, which PostgreSQL's
 * text type refuses. Input is checked here at the edges, so such a character never reaches storage
 * or another client's socket.
 */
public final class TextCharacters {

    /** What a character that cannot be sent becomes in an echo of the client's input. */
    public static final char REPLACEMENT = '\uFFFD';

    private TextCharacters() {
    }

    /** Whether the text holds a surrogate without its pair. */
    public static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the text can be stored and sent as it is: no unpaired surrogate and no U+0000. */
    public static boolean isStorable(String text) {
        return text.indexOf('\u0000') < 0 && !hasUnpairedSurrogate(text);
    }

    /** The text with each unpaired surrogate replaced by U+FFFD: safe to echo. */
    public static String wellFormed(String text) {
        if (!hasUnpairedSurrogate(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                out.append(REPLACEMENT);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
