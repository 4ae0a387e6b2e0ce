package io.chat.loadtest;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Which user and which chat each socket of {@code connect} and {@code hold} opens as.
 *
 * <p>By default every socket is a user of its own, with a token of its own: socket k belongs to
 * user k, in chat k / chat size, whose members are exactly that group of users. A server remembers
 * the tokens it has verified, so sockets that share a few users (and tokens) would time the cache,
 * not the open that a crowd of distinct clients makes. Shared users ({@code --shared-users N}) are
 * the opposite case, kept on purpose: N users in every chat, every socket presenting one of their N
 * tokens.
 *
 * @param sockets how many sockets the plan covers
 * @param chatSize members per chat when every socket is its own user
 * @param sharedUsers users shared by all sockets, each chat holding all of them; 0 for a user per socket
 */
record SocketPlan(int sockets, int chatSize, int sharedUsers) {

    SocketPlan {
        if (sockets < 0 || chatSize < 1 || sharedUsers < 0) {
            throw new IllegalArgumentException("sockets " + sockets + ", chat size " + chatSize + ", shared users "
                    + sharedUsers);
        }
    }

    /** A user per socket, in chats of {@code chatSize} (the last one holds what is left). */
    static SocketPlan distinct(int sockets, int chatSize) {
        return new SocketPlan(sockets, chatSize, 0);
    }

    /** {@code users} users shared by every socket, each chat holding all of them. */
    static SocketPlan shared(int sockets, int users) {
        return new SocketPlan(sockets, users, users);
    }

    boolean shared() {
        return sharedUsers > 0;
    }

    /** The same users and chats for fewer sockets: a warm-up on the shared users. */
    SocketPlan first(int count) {
        return new SocketPlan(Math.min(count, sockets), chatSize, sharedUsers);
    }

    /** Users to register. */
    int users() {
        return shared() ? sharedUsers : sockets;
    }

    /** Chats to create: one per group of sockets. */
    int chats() {
        return (sockets + chatSize - 1) / chatSize;
    }

    int userOf(int socket) {
        return shared() ? socket % sharedUsers : socket;
    }

    int chatOf(int socket) {
        return socket / chatSize;
    }

    /** The users (by index) of a chat, the first of them its creator. */
    List<Integer> membersOf(int chat) {
        if (shared()) {
            return IntStream.range(0, sharedUsers).boxed().toList();
        }
        return IntStream.range(chat * chatSize, Math.min(sockets, (chat + 1) * chatSize)).boxed().toList();
    }
}
