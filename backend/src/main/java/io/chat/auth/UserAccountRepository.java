package io.chat.auth;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface UserAccountRepository extends JpaRepository<UserAccount, Long> {

    Optional<UserAccount> findByUsername(String username);

    Optional<UserAccount> findByExternalSubject(String externalSubject);

    boolean existsByUsername(String username);

    /** Prefix search served by the {@code lower(username) text_pattern_ops} index. */
    @Query("select u from UserAccount u where lower(u.username) like :prefix escape '\\' order by u.username")
    List<UserAccount> findByUsernamePrefix(String prefix, Limit limit);
}
