/**
 * The fan-out port: events of a chat published once and delivered to every instance that has a
 * session in that chat. Embedded mode delivers in process; relay mode goes through RabbitMQ's
 * STOMP plugin so that many instances act as one.
 */
package io.chat.fanout;
