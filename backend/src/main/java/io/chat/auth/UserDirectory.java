package io.chat.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.stereotype.Service;

/**
 * Looks users up by id for frames and answers. Names never change once registered, so a found user
 * is kept: fan-out and connects then need no database round trip per user.
 */
@Service
public class UserDirectory {

    private static final int MAX_CACHED = 100_000;

    private final UserAccountRepository users;
    private final ConcurrentMap<Long, UserSummary> cache = new ConcurrentHashMap<>();

    UserDirectory(UserAccountRepository users) {
        this.users = users;
    }

    public Optional<UserSummary> find(long id) {
        UserSummary cached = cache.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<UserSummary> found = users.findById(id).map(UserAccount::summary);
        found.ifPresent(this::remember);
        return found;
    }

    public boolean exists(long id) {
        return find(id).isPresent();
    }

    void remember(UserSummary user) {
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(user.id(), user);
    }
}
