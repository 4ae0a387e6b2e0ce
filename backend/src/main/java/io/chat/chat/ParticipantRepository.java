package io.chat.chat;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ParticipantRepository extends JpaRepository<Participant, Participant.Key> {

    List<Participant> findByChatIdOrderByJoinedAtAscUserIdAsc(long chatId);

    Optional<Participant> findByChatIdAndUserId(long chatId, long userId);

    boolean existsByChatIdAndUserId(long chatId, long userId);

    @Query("select p.userId from Participant p where p.chatId = :chatId")
    List<Long> findUserIds(long chatId);

    /** Moves the marker up to the chat's newest message; never down. Returns rows changed (0 or 1). */
    @Modifying
    @Query(value = """
            UPDATE chat_participants
               SET last_read_message_id = GREATEST(last_read_message_id,
                   (SELECT COALESCE(MAX(id), 0) FROM messages WHERE chat_id = :chatId))
             WHERE chat_id = :chatId AND user_id = :userId
            """, nativeQuery = true)
    int markAllRead(long chatId, long userId);

    @Modifying
    @Query("delete from Participant p where p.chatId = :chatId and p.userId = :userId")
    int deleteByChatIdAndUserId(long chatId, long userId);
}
