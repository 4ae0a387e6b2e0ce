package io.chat.chat;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.chat.auth.AuthenticatedUser;
import io.chat.auth.UserSummary;
import io.chat.system.ApiErrors;
import io.chat.system.InvalidRequest;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The chat REST API: the caller's chats and their participants. */
@RestController
@Tag(name = "Chats", description = "The caller's chats and their participants")
class ChatController {

    private final ChatService chats;

    ChatController(ChatService chats) {
        this.chats = chats;
    }

    @GetMapping("/api/chats")
    List<ChatView> list(@AuthenticationPrincipal AuthenticatedUser caller) {
        return chats.listFor(caller.id());
    }

    @PostMapping("/api/chats")
    @ApiErrors(400)
    @ResponseStatus(HttpStatus.CREATED)
    ChatView create(@AuthenticationPrincipal AuthenticatedUser caller, @RequestBody NewChat body) {
        if (body.participantIds() == null) {
            throw InvalidRequest.field("participant_ids", "This field is required.");
        }
        return chats.create(caller.id(), body.name(), body.participantIds());
    }

    @GetMapping("/api/chats/{chatId}")
    @ApiErrors({400, 404})
    ChatView get(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable long chatId) {
        return chats.get(caller.id(), chatId);
    }

    @PostMapping("/api/chats/{chatId}/participants")
    @ApiErrors({400, 404, 409})
    @ResponseStatus(HttpStatus.CREATED)
    UserSummary addParticipant(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable long chatId,
            @RequestBody NewParticipant body) {
        return chats.addParticipant(caller.id(), chatId, body.userId());
    }

    @DeleteMapping("/api/chats/{chatId}/participants/{userId}")
    @ApiErrors({400, 404})
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void removeParticipant(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable long chatId,
            @PathVariable long userId) {
        chats.removeParticipant(caller.id(), chatId, userId);
    }

    record NewChat(String name, List<Long> participantIds) {
    }

    record NewParticipant(Long userId) {
    }
}
