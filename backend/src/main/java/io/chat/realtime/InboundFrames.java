package io.chat.realtime;

import java.util.function.Supplier;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.SubscribableChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.messaging.access.intercept.AuthorizationChannelInterceptor;
import org.springframework.security.messaging.access.intercept.MessageAuthorizationContext;
import org.springframework.security.messaging.access.intercept.MessageMatcherDelegatingAuthorizationManager;
import org.springframework.security.messaging.context.SecurityContextChannelInterceptor;

import io.chat.auth.AuthenticatedUser;
import io.chat.chat.ParticipantDirectory;

/**
 * The internal destinations of the raw-protocol adapter. Each client frame becomes a message to
 * {@code /app/chat.{chatId}} carrying the session's authentication, and passes Spring Security's
 * messaging rules before it is acted on: only a participant of the chat gets through; anything else
 * is denied. The channel is synchronous, so a session's frames are handled in the order they came.
 */
@Configuration(proxyBeanMethods = false)
class InboundFrames {

    static final String DESTINATION_PREFIX = "/app/chat.";
    private static final String SESSION_HEADER = "chatSession";

    @Bean
    SubscribableChannel inboundFrameChannel(InboundFrameHandler handler, ParticipantDirectory participants) {
        AuthorizationManager<Message<?>> rules = MessageMatcherDelegatingAuthorizationManager.builder()
                .simpMessageDestMatchers(DESTINATION_PREFIX + "*")
                .access((authentication, context) -> participantOfDestination(authentication, context, participants))
                .anyMessage().denyAll()
                .build();
        ExecutorSubscribableChannel channel = new ExecutorSubscribableChannel();
        channel.addInterceptor(new SecurityContextChannelInterceptor());
        channel.addInterceptor(new AuthorizationChannelInterceptor(rules));
        channel.subscribe(handler);
        return channel;
    }

    static Message<InboundFrame> toMessage(ChatSession session, InboundFrame frame) {
        SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
        headers.setDestination(DESTINATION_PREFIX + session.chatId());
        headers.setSessionId(session.id());
        headers.setUser(session.authentication());
        headers.setHeader(SESSION_HEADER, session);
        headers.setLeaveMutable(false);
        return MessageBuilder.createMessage(frame, headers.getMessageHeaders());
    }

    static ChatSession session(Message<?> message) {
        return (ChatSession) message.getHeaders().get(SESSION_HEADER);
    }

    private static AuthorizationDecision participantOfDestination(Supplier<? extends Authentication> authentication,
            MessageAuthorizationContext<?> context, ParticipantDirectory participants) {
        Authentication caller = authentication.get();
        String destination = SimpMessageHeaderAccessor.getDestination(context.getMessage().getHeaders());
        if (caller == null || !(caller.getPrincipal() instanceof AuthenticatedUser user) || destination == null) {
            return new AuthorizationDecision(false);
        }
        long chatId;
        try {
            chatId = Long.parseLong(destination.substring(DESTINATION_PREFIX.length()));
        } catch (NumberFormatException notAChat) {
            return new AuthorizationDecision(false);
        }
        return new AuthorizationDecision(participants.isParticipant(chatId, user.id()));
    }
}
