package io.chat.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SocketPlanTest {

    @Test
    void everySocketIsAUserOfItsOwnInTheChatOfItsGroup() {
        SocketPlan plan = SocketPlan.distinct(25, 10);
        assertThat(plan.users()).isEqualTo(25);
        assertThat(plan.chats()).isEqualTo(3);
        Set<Integer> users = new HashSet<>();
        for (int socket = 0; socket < 25; socket++) {
            users.add(plan.userOf(socket));
            // the socket's user is a member of the socket's chat
            assertThat(plan.membersOf(plan.chatOf(socket))).contains(plan.userOf(socket));
        }
        assertThat(users).hasSize(25);
        assertThat(plan.membersOf(0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(plan.membersOf(1)).containsExactly(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
        assertThat(plan.membersOf(2)).containsExactly(20, 21, 22, 23, 24);
    }

    @Test
    void chatsHoldExactlyTheirGroupSoNoUserIsInTwoChats() {
        SocketPlan plan = SocketPlan.distinct(1000, 7);
        Set<Integer> seen = new HashSet<>();
        int members = 0;
        for (int chat = 0; chat < plan.chats(); chat++) {
            List<Integer> group = plan.membersOf(chat);
            members += group.size();
            seen.addAll(group);
        }
        assertThat(members).isEqualTo(1000);
        assertThat(seen).hasSize(1000);
    }

    @Test
    void sharedUsersAreInEveryChatAndEachUserOpensOncePerChat() {
        SocketPlan plan = SocketPlan.shared(25, 10);
        assertThat(plan.users()).isEqualTo(10);
        assertThat(plan.chats()).isEqualTo(3);
        assertThat(plan.membersOf(2)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(plan.userOf(0)).isZero();
        assertThat(plan.userOf(13)).isEqualTo(3);
        assertThat(plan.chatOf(13)).isEqualTo(1);
        Set<String> userInChat = new HashSet<>();
        for (int socket = 0; socket < 25; socket++) {
            assertThat(userInChat.add(plan.userOf(socket) + "@" + plan.chatOf(socket))).isTrue();
        }
    }

    @Test
    void aWarmUpOnSharedUsersTakesTheSameUsersAndChats() {
        SocketPlan warmUp = SocketPlan.shared(1000, 10).first(2000);
        assertThat(warmUp.sockets()).isEqualTo(1000);
        assertThat(warmUp.users()).isEqualTo(10);
        assertThat(SocketPlan.distinct(5, 10).chats()).isEqualTo(1);
        assertThat(SocketPlan.distinct(0, 10).chats()).isZero();
    }
}
