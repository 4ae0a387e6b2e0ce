package io.chat.chat;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ChatRepository extends JpaRepository<Chat, Long> {

    @Query("select c from Chat c where c.id in (select p.chatId from Participant p where p.userId = :userId) "
            + "order by c.id")
    List<Chat> findAllOf(long userId);
}
