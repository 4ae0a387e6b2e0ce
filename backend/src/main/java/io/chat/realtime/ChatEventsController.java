package io.chat.realtime;

import java.util.List;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.chat.auth.AuthenticatedUser;
import io.chat.chat.ChatService;
import io.chat.message.EventHistory;
import io.chat.message.StoredEvent;
import io.chat.system.ApiErrors;
import io.chat.system.InvalidRequest;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /api/chats/{id}/events/}: a chat's event sequence over REST, each event as its socket
 * frame would be, for a client that missed more than a reconnect replays, or that keeps no socket.
 * Only participants see it (others get 404, as if the chat did not exist).
 */
@RestController
@Tag(name = "Events", description = "A chat's event sequence, for catching up without a socket")
class ChatEventsController {

    static final int DEFAULT_PAGE = 100;
    static final int MAX_PAGE = 1000;

    private final ChatService chats;
    private final EventHistory history;
    private final ServerFrames frames;

    ChatEventsController(ChatService chats, EventHistory history, ServerFrames frames) {
        this.chats = chats;
        this.history = history;
        this.frames = frames;
    }

    /** A page of events in order; {@code hasMore} says whether later ones exist beyond it. */
    record EventPage(@Schema(description = "Each event as its WebSocket frame: type, seq and data or the read fields")
            List<Object> results, boolean hasMore) {
    }

    @GetMapping("/api/chats/{chatId}/events")
    @ApiErrors({400, 404})
    EventPage events(@AuthenticationPrincipal AuthenticatedUser caller, @PathVariable long chatId,
            @RequestParam(name = "after_seq", required = false) Long afterSeq,
            @RequestParam(name = "limit", required = false) Integer limit) {
        chats.requireParticipant(caller.id(), chatId);
        if (afterSeq != null && afterSeq < 0) {
            throw InvalidRequest.field("after_seq", "Ensure this value is greater than or equal to 0.");
        }
        if (limit != null && limit < 1) {
            throw InvalidRequest.field("limit", "Ensure this value is greater than or equal to 1.");
        }
        int size = limit == null ? DEFAULT_PAGE : Math.min(limit, MAX_PAGE);
        List<StoredEvent> found = history.after(chatId, afterSeq == null ? 0 : afterSeq, size + 1);
        List<Object> page = found.subList(0, Math.min(size, found.size())).stream().map(frames::frameOf).toList();
        return new EventPage(page, found.size() > size);
    }
}
