package io.chat.auth;

import java.util.Optional;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Finds the user a verified token speaks for. Our own and SimpleJWT's tokens name a local user
 * by {@code user_id} (a number, or its text), or by {@code sub} where {@code user_id} is absent.
 * An external provider's token names its user by {@code sub}: that user is created on first sight.
 */
@Component
class TokenUserResolver {

    private static final int MAX_USERNAME = 150;

    private final UserAccountRepository users;
    private final UserDirectory directory;

    TokenUserResolver(UserAccountRepository users, UserDirectory directory) {
        this.users = users;
        this.directory = directory;
    }

    AuthenticatedUser resolve(Jwt jwt) {
        UserSummary user = isExternal(jwt) ? external(jwt) : local(jwt);
        return new AuthenticatedUser(user.id(), user.username());
    }

    private static boolean isExternal(Jwt jwt) {
        Object alg = jwt.getHeaders().get("alg");
        return alg == null || !String.valueOf(alg).startsWith("HS");
    }

    private UserSummary local(Jwt jwt) {
        Object claim = jwt.getClaims().containsKey(TokenClaims.USER_ID)
                ? jwt.getClaims().get(TokenClaims.USER_ID) : jwt.getSubject();
        long id = userId(claim);
        return directory.find(id).orElseThrow(() -> new InvalidToken("Unknown user"));
    }

    static long userId(Object claim) {
        if (claim instanceof Number number && number.longValue() > 0 && number.doubleValue() == number.longValue()) {
            return number.longValue();
        }
        if (claim instanceof String text && text.matches("[1-9][0-9]{0,18}")) {
            return Long.parseLong(text);
        }
        throw new InvalidToken("Token names no user");
    }

    private UserSummary external(Jwt jwt) {
        String subject = jwt.getSubject();
        Optional<UserAccount> known = users.findByExternalSubject(subject);
        if (known.isPresent()) {
            return known.get().summary();
        }
        try {
            UserAccount created = users.saveAndFlush(UserAccount.external(subject, freeUsername(jwt),
                    clip(jwt.getClaimAsString("given_name")), clip(jwt.getClaimAsString("family_name"))));
            UserSummary summary = created.summary();
            directory.remember(summary);
            return summary;
        } catch (DataIntegrityViolationException raced) {
            // another request created the same user first
            return users.findByExternalSubject(subject).map(UserAccount::summary)
                    .orElseThrow(() -> new InvalidToken("Unknown user"));
        }
    }

    private String freeUsername(Jwt jwt) {
        String wanted = jwt.getClaimAsString("preferred_username");
        String base = StringUtils.hasText(wanted) ? Usernames.sanitize(wanted) : "";
        if (base.isEmpty()) {
            base = "user";
        }
        String candidate = clip(base);
        for (int suffix = 2; users.existsByUsername(candidate); suffix++) {
            String tail = "_" + suffix;
            candidate = base.substring(0, Math.min(base.length(), MAX_USERNAME - tail.length())) + tail;
        }
        return candidate;
    }

    private static String clip(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= MAX_USERNAME ? value : value.substring(0, MAX_USERNAME);
    }
}
