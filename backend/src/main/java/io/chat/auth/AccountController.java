package io.chat.auth;

import java.util.LinkedHashMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.chat.system.ApiErrors;
import io.chat.system.InvalidRequest;
import io.chat.system.TextCharacters;
import io.chat.system.TextRules;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Registration and login: the only API calls made without a token. */
@RestController
@Tag(name = "Accounts", description = "Registration and tokens (no token needed)")
class AccountController {

    static final int MIN_PASSWORD_LENGTH = 8;
    private static final Logger log = LoggerFactory.getLogger(AccountController.class);
    private static final String REQUIRED = "This field is required.";

    private final UserAccountRepository users;
    private final UserDirectory directory;
    private final PasswordEncoder passwords;
    private final TokenService tokens;
    /** Compared against when the username is unknown, so both failures take as long. */
    private final String decoyHash;

    AccountController(UserAccountRepository users, UserDirectory directory, PasswordEncoder passwords,
            TokenService tokens) {
        this.users = users;
        this.directory = directory;
        this.passwords = passwords;
        this.tokens = tokens;
        this.decoyHash = passwords.encode("decoy password for timing");
    }

    @PostMapping("/api/auth/register")
    @SecurityRequirements
    @ApiErrors(400)
    @ResponseStatus(HttpStatus.CREATED)
    @Transactional
    UserSummary register(@RequestBody Registration registration) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String username = registration.username();
        if (username == null || username.isBlank()) {
            errors.put("username", List.of(REQUIRED));
        } else if (!Usernames.isValid(username)) {
            errors.put("username", List.of("Enter a valid username of at most 150 characters: letters, digits "
                    + "and @/./+/-/_ only."));
        } else if (users.existsByUsername(username)) {
            errors.put("username", List.of("A user with that username already exists."));
        }
        String password = registration.password();
        if (password == null || password.isEmpty()) {
            errors.put("password", List.of(REQUIRED));
        } else if (password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            errors.put("password", List.of("This password is too short. It must contain at least "
                    + MIN_PASSWORD_LENGTH + " characters."));
        } else {
            checkPassword(errors, password);
        }
        checkName(errors, "first_name", registration.firstName());
        checkName(errors, "last_name", registration.lastName());
        if (!errors.isEmpty()) {
            throw new InvalidRequest("Registration failed: " + errors.keySet() + " invalid", errors);
        }
        UserAccount account;
        try {
            account = users.saveAndFlush(UserAccount.local(username, passwords.encode(password),
                    orEmpty(registration.firstName()), orEmpty(registration.lastName())));
        } catch (DataIntegrityViolationException raced) {
            throw InvalidRequest.field("username", "A user with that username already exists.");
        }
        UserSummary user = account.summary();
        directory.remember(user);
        log.info("auth.register user={}", user.id());
        return user;
    }

    @PostMapping("/api/token")
    @SecurityRequirements
    @ApiErrors({400, 401})
    TokenService.TokenPair login(@RequestBody Credentials credentials) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (credentials.username() == null || credentials.username().isEmpty()) {
            errors.put("username", List.of(REQUIRED));
        }
        if (credentials.password() == null || credentials.password().isEmpty()) {
            errors.put("password", List.of(REQUIRED));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest("Username and password are required", errors);
        }
        checkPassword(errors, credentials.password());
        if (credentials.username() != null && !TextCharacters.isStorable(credentials.username())) {
            errors.put("username", List.of(TextRules.INVALID_CHARACTERS));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequest("Login failed: " + errors.keySet() + " invalid", errors);
        }
        UserAccount account = users.findByUsername(credentials.username()).orElse(null);
        String hash = account == null || account.passwordHash() == null ? decoyHash : account.passwordHash();
        boolean matches = passwords.matches(credentials.password(), hash);
        if (account == null || account.passwordHash() == null || !matches) {
            log.info("auth.login_failed reason=bad_credentials");
            throw new BadCredentials();
        }
        log.info("auth.login user={}", account.id());
        return tokens.issue(account.id());
    }

    @PostMapping("/api/token/refresh")
    @SecurityRequirements
    @ApiErrors({400, 401})
    AccessToken refresh(@RequestBody RefreshRequest request) {
        if (request.refresh() == null || request.refresh().isEmpty()) {
            throw InvalidRequest.field("refresh", REQUIRED);
        }
        try {
            return new AccessToken(tokens.refresh(request.refresh()));
        } catch (InvalidToken invalid) {
            log.info("auth.refresh_failed reason=invalid_token");
            throw new TokenRejected();
        }
    }

    private static void checkName(Map<String, List<String>> errors, String field, String value) {
        if (value != null && value.length() > 150) {
            errors.put(field, List.of("Ensure this field has no more than 150 characters."));
        } else if (value != null && !TextCharacters.isStorable(value)) {
            errors.put(field, List.of(TextRules.INVALID_CHARACTERS));
        }
    }

    /** bcrypt reads at most 72 bytes: a longer password would be cut silently, so it is refused. */
    private static void checkPassword(Map<String, List<String>> errors, String password) {
        if (!TextCharacters.isStorable(password)) {
            errors.put("password", List.of(TextRules.INVALID_CHARACTERS));
        } else if (password.getBytes(StandardCharsets.UTF_8).length > TextRules.MAX_PASSWORD_BYTES) {
            errors.put("password", List.of(TextRules.PASSWORD_TOO_LONG));
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value.strip();
    }

    record Registration(String username, String password, String firstName, String lastName) {
    }

    record Credentials(String username, String password) {
    }

    record RefreshRequest(String refresh) {
    }

    record AccessToken(String access) {
    }
}
