package io.chat.message;

import java.util.List;
import java.util.Optional;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ChatMessageRepository extends JpaRepository<ChatMessage, Long> {

    Optional<ChatMessage> findByIdAndChatId(long id, long chatId);

    Optional<ChatMessage> findFirstByChatIdOrderByIdDesc(long chatId);

    @Query("select m from ChatMessage m where m.chatId = :chatId and m.id > :afterId and m.id < :beforeId "
            + "order by m.id asc")
    List<ChatMessage> findAscending(long chatId, long afterId, long beforeId, Limit limit);

    @Query("select m from ChatMessage m where m.chatId = :chatId and m.id > :afterId and m.id < :beforeId "
            + "order by m.id desc")
    List<ChatMessage> findDescending(long chatId, long afterId, long beforeId, Limit limit);

    @Query("select count(m) from ChatMessage m where m.chatId = :chatId and m.id > :afterId "
            + "and m.senderId <> :userId and m.deletedAt is null")
    long countUnread(long chatId, long userId, long afterId);
}
