/** Chats, their participants and read markers, and the chat REST API. */
package io.chat.chat;
