package io.chat.loadtest.yardstick;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Component;

/**
 * Users and their tokens, in memory. A token is 32 random bytes, opaque: it names its user through
 * a map, which is all the yardstick checks, since what it measures is the cost of a socket and a
 * broadcast, not of authentication.
 */
@Component
class Accounts {

    /** A registered user. */
    record Account(long id, String username, String password, String firstName, String lastName) {
    }

    private final Map<String, Account> byName = new ConcurrentHashMap<>();
    private final Map<String, Account> byToken = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    /** @return the new account, or null when the name is taken */
    Account register(String username, String password, String firstName, String lastName) {
        Account account = new Account(ids.incrementAndGet(), username, password, firstName, lastName);
        return byName.putIfAbsent(username, account) == null ? account : null;
    }

    /** @return a new token, or null when the name or password is wrong */
    String login(String username, String password) {
        Account account = byName.get(username);
        if (account == null || !account.password().equals(password)) {
            return null;
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        byToken.put(token, account);
        return token;
    }

    /** @return the token's user, or null for an unknown token (or none) */
    Account byToken(String token) {
        return token == null ? null : byToken.get(token);
    }
}
