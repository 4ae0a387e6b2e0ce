package io.chat.auth;

/**
 * The character rules of Spring Security's strict firewall for header names, header values and
 * parameter names, checked by a loop instead of a regular expression. The firewall checks every
 * header of every request, and the WebSocket handshake reads them all: the regular expressions'
 * matchers were a seventh of everything a socket open allocated.
 */
final class HeaderCharacters {

    private HeaderCharacters() {
    }

    /** Same as the firewall's {@code [\p{IsAssigned}&&[^\p{IsControl}]]*}. */
    static boolean assignedAndNotControl(String text) {
        return allAllowed(text, false);
    }

    /** Same as the firewall's {@code [\p{IsAssigned}&&[[^\p{IsControl}]||\t]]*}: a tab is allowed too. */
    static boolean assignedAndNotControlOrTab(String text) {
        return allAllowed(text, true);
    }

    private static boolean allAllowed(String text, boolean tabAllowed) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            boolean allowed = codePoint == '\t'
                    ? tabAllowed
                    : Character.getType(codePoint) != Character.UNASSIGNED && !Character.isISOControl(codePoint);
            if (!allowed) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
