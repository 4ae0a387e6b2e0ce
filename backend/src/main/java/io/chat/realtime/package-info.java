/**
 * The WebSocket adapter at {@code /ws/chat/{chat_id}/}: it authenticates the upgrade, turns the
 * documented JSON frames into messages on an internal, security-checked channel, and writes chat
 * events back to the sockets. Close codes live in {@link io.chat.realtime.CloseCodes}.
 */
package io.chat.realtime;
