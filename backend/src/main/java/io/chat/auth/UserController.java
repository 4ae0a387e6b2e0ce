package io.chat.auth;

import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.chat.system.ApiErrors;
import io.chat.system.InvalidRequest;
import io.chat.system.TextCharacters;
import io.chat.system.TextRules;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Who am I, and whom can I start a chat with. */
@RestController
@Tag(name = "Users", description = "The caller, and users to start a chat with")
class UserController {

    private static final int SEARCH_LIMIT = 50;

    private final UserAccountRepository users;
    private final UserDirectory directory;

    UserController(UserAccountRepository users, UserDirectory directory) {
        this.users = users;
        this.directory = directory;
    }

    @GetMapping("/api/users/me")
    UserSummary me(@AuthenticationPrincipal AuthenticatedUser caller) {
        return directory.find(caller.id()).orElseThrow();
    }

    /** Users whose username starts with {@code search}, case-insensitively; at most 50. */
    @GetMapping("/api/users")
    @ApiErrors(400)
    List<UserSummary> search(@RequestParam(defaultValue = "") String search) {
        if (!TextCharacters.isStorable(search)) {
            throw InvalidRequest.field("search", TextRules.INVALID_CHARACTERS);
        }
        String prefix = search.toLowerCase().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return users.findByUsernamePrefix(prefix, Limit.of(SEARCH_LIMIT)).stream().map(UserAccount::summary).toList();
    }
}
