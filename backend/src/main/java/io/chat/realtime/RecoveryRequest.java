package io.chat.realtime;

/**
 * What a reconnecting client asked to be replayed: every event after a number of the chat's
 * sequence ({@code ?since_seq=N}), or, as the original API document has it, every message after an
 * id ({@code ?last_message_id=N}).
 *
 * @param after N: the last number or id the client has
 */
record RecoveryRequest(Kind kind, long after) {

    enum Kind {
        SINCE_SEQ, LAST_MESSAGE_ID
    }

    /**
     * Reads the parameters of the upgrade; {@code since_seq} wins when both are given (it replays
     * more). A value that is not a whole number from 0 is treated as absent, as the original service
     * did with a malformed {@code last_message_id}.
     *
     * @return null when the client asked for no recovery
     */
    static RecoveryRequest of(String sinceSeq, String lastMessageId) {
        Long seq = number(sinceSeq);
        if (seq != null) {
            return new RecoveryRequest(Kind.SINCE_SEQ, seq);
        }
        Long id = number(lastMessageId);
        return id == null ? null : new RecoveryRequest(Kind.LAST_MESSAGE_ID, id);
    }

    private static Long number(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > 18) {
            return null;
        }
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) < '0' || raw.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(raw);
    }
}
