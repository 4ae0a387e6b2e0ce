package io.chat.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What the embedded fan-out passes on for a chat that has no session on this instance yet. */
class InProcessChatEventBusTest {

    final List<ChatEvent> heard = new ArrayList<>();
    final InProcessChatEventBus bus = new InProcessChatEventBus(heard::add);

    @Test
    void aRemovalIsPassedOnEvenBeforeTheChatHasASessionHereSoThatAnOpeningSocketIsClosedAsItJoins() {
        ChatEvent removal = ChatEvent.revoked(7, 2);
        ChatEvent added = ChatEvent.membershipChanged(7, 3);
        bus.publish(removal);
        bus.publish(added);
        assertThat(heard).containsExactly(removal, added);
    }

    @Test
    void aChatsEventsReachThisInstanceOnlyWhileItIsSubscribed() {
        ChatEvent before = ChatEvent.toAll(7, 1, 1, "{}");
        ChatEvent during = ChatEvent.toAll(7, 1, 2, "{}");
        ChatEvent after = ChatEvent.toAll(7, 1, 3, "{}");
        bus.publish(before);
        bus.subscribe(7);
        bus.publish(during);
        bus.unsubscribe(7);
        bus.publish(after);
        assertThat(heard).containsExactly(during);
    }
}
