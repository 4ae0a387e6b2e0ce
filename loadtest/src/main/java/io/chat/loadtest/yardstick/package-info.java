/**
 * The yardstick: a bare chat server on the real server's stack, for the load tool to measure what
 * a socket and a broadcast cost before the server's own work. Only {@code LoadTest}'s
 * {@code yardstick} command starts it.
 */
package io.chat.loadtest.yardstick;
