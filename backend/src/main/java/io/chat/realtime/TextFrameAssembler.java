package io.chat.realtime;

/**
 * Joins the parts of a text message that the container hands over in chunks, enforcing the size
 * limit on the way. Receiving in chunks lets the container keep a small receive buffer per socket
 * instead of one as large as the largest allowed message, which would cost every idle connection
 * hundreds of kilobytes.
 */
final class TextFrameAssembler {

    private final int maxBytes;
    private StringBuilder parts;
    private int bytes;

    TextFrameAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Signals a message above the limit; the connection is closed with 1009. */
    static final class TooBig extends Exception {
        TooBig() {
            super(null, null, false, false);
        }
    }

    /**
     * @return the whole message once its last part has arrived, otherwise null
     * @throws TooBig when the message grows beyond the limit
     */
    String add(String part, boolean last) throws TooBig {
        if (parts == null && last) {
            if (utf8Length(part) > maxBytes) {
                throw new TooBig();
            }
            return part;
        }
        bytes += utf8Length(part);
        if (bytes > maxBytes) {
            parts = null;
            throw new TooBig();
        }
        if (parts == null) {
            parts = new StringBuilder(part.length() * 2);
        }
        parts.append(part);
        if (!last) {
            return null;
        }
        String whole = parts.toString();
        parts = null;
        bytes = 0;
        return whole;
    }

    /** Bytes of the text in UTF-8, without encoding it. */
    static int utf8Length(String text) {
        int length = text.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // 2 bytes below U+0800, 3 above; a surrogate pair (4 bytes) counts 2 + 2
                bytes += c < 0x800 ? 1 : (Character.isSurrogate(c) ? 1 : 2);
            }
        }
        return bytes;
    }
}
