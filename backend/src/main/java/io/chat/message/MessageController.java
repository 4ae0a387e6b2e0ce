package io.chat.message;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import io.chat.auth.AuthenticatedUser;
import io.chat.chat.ChatService;
import io.chat.system.ApiErrors;
import io.chat.system.InvalidRequest;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;

/**
 * The message REST API. Sends, edits and deletes run the same checks and are broadcast exactly like
 * the socket frames; only participants reach a chat's messages (others get 404).
 */
@RestController
@Tag(name = "Messages", description = "History, and sends, edits and deletes as over the socket")
class MessageController {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 200;

    private final MessageService messages;
    private final ChatService chats;

    MessageController(MessageService messages, ChatService chats) {
        this.messages = messages;
        this.chats = chats;
    }

    @GetMapping("/api/chats/{chatId}/messages")
    @ApiErrors({400, 404})
    MessageService.HistoryPage history(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable long chatId,
            @RequestParam(name = "before_id", required = false) Long beforeId,
            @RequestParam(name = "after_id", required = false) Long afterId,
            @RequestParam(name = "limit", required = false) Integer limit) {
        chats.requireParticipant(caller.id(), chatId);
        if (limit != null && limit < 1) {
            throw InvalidRequest.field("limit", "Ensure this value is greater than or equal to 1.");
        }
        int size = limit == null ? DEFAULT_PAGE : Math.min(limit, MAX_PAGE);
        return messages.history(chatId, beforeId, afterId, size);
    }

    @PostMapping("/api/chats/{chatId}/messages")
    @ApiErrors({400, 404, 429})
    @ApiResponse(responseCode = "201", description = "Stored and broadcast",
            content = @Content(schema = @Schema(implementation = MessageView.class)))
    @ApiResponse(responseCode = "200", description = "A resend with a known client_id: the original, not stored again",
            content = @Content(schema = @Schema(implementation = MessageView.class)))
    ResponseEntity<MessageView> send(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable long chatId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = NewMessage.class))) @RequestBody JsonNode body) {
        chats.requireParticipant(caller.id(), chatId);
        JsonNode object = requireObject(body);
        MessageService.Sent sent = messages.send(chatId, caller.id(), MessageFields.text(object),
                MessageFields.clientId(object));
        return ResponseEntity.status(sent.created() ? HttpStatus.CREATED : HttpStatus.OK).body(sent.message());
    }

    @PatchMapping("/api/chats/{chatId}/messages/{messageId}")
    @ApiErrors({400, 403, 404})
    MessageView edit(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable long chatId,
            @PathVariable long messageId,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = MessageEdit.class))) @RequestBody JsonNode body) {
        chats.requireParticipant(caller.id(), chatId);
        return messages.edit(chatId, caller.id(), messageId, MessageFields.text(requireObject(body)));
    }

    @DeleteMapping("/api/chats/{chatId}/messages/{messageId}")
    @ApiErrors({400, 403, 404})
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable long chatId,
            @PathVariable long messageId) {
        chats.requireParticipant(caller.id(), chatId);
        messages.delete(chatId, caller.id(), messageId);
    }

    private static JsonNode requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequest("Invalid JSON format: a JSON object is expected", java.util.Map.of());
        }
        return body;
    }

    /**
     * The body of a send, for the API description only: bodies are read as JSON trees, so that each
     * field's error is the contract's own (see {@link MessageFields}).
     */
    record NewMessage(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = TEXT) String text,
            @Schema(description = "Idempotency key: a resend with the same key is answered with the original",
                    maxLength = 64) String clientId) {
    }

    /** The body of an edit, for the API description only. */
    record MessageEdit(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = TEXT) String text) {
    }

    private static final String TEXT = "At most chat.limits.max-message-length characters (1000 by default), not blank";
}
