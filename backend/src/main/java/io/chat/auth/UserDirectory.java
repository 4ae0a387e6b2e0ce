package io.chat.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Looks users up by id for frames and answers. Names never change once registered, so a found user
 * is kept: fan-out and connects then need no database round trip per user. A user not kept yet is
 * read with one plain query rather than an entity load: every first connect of a user comes here.
 */
@Service
public class UserDirectory {

    private static final int MAX_CACHED = 100_000;

    private final JdbcClient jdbc;
    private final ConcurrentMap<Long, UserSummary> cache = new ConcurrentHashMap<>();

    UserDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<UserSummary> find(long id) {
        UserSummary cached = cache.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<UserSummary> found = jdbc.sql("SELECT id, username, first_name, last_name FROM users WHERE id = ?")
                .param(id)
                .query((row, number) -> new UserSummary(row.getLong(1), row.getString(2), row.getString(3),
                        row.getString(4)))
                .optional();
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
