// Type declarations of chat-client.js: a dependency-free client of the chat server's WebSocket API.

export declare const CloseCodes: Readonly<{
    NORMAL: 1000;
    GOING_AWAY: 1001;
    NO_STATUS: 1005;
    ABNORMAL: 1006;
    UNSUPPORTED_DATA: 1003;
    TOO_BIG: 1009;
    INTERNAL_ERROR: 1011;
    SERVICE_RESTART: 1012;
    TRY_AGAIN_LATER: 1013;
    UNAUTHORIZED: 4401;
    FORBIDDEN: 4403;
    CONFLICT: 4409;
}>;

export interface UserSummary {
    id: number;
    username: string;
    first_name: string;
    last_name: string;
}

/** The `data` of message, message_updated and message_deleted frames. */
export interface MessageData {
    id: number;
    text: string;
    sender: UserSummary;
    /** RFC 3339, UTC. */
    timestamp: string;
    is_edited: boolean;
    is_deleted: boolean;
    chat_id?: number;
    client_id?: string | null;
}

export interface ConnectionEstablished {
    type: 'connection_established';
    message: string;
    chat_id: number;
    seq: number;
    /** Present when reconnecting with since_seq: false when not everything missed was replayed. */
    recovered?: boolean;
}

export interface TypingEvent {
    type: 'typing';
    user_id: number;
    username: string;
    is_typing: boolean;
}

export interface MessagesReadEvent {
    type: 'messages_read';
    seq: number;
    user_id: number;
    username: string;
    last_read_message_id?: number;
}

export interface ErrorEvent {
    type: 'error';
    message: string;
}

export type ConnectionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

export interface StateChange {
    state: ConnectionState;
    previous: ConnectionState;
    /** The close that led here, when there was one. */
    code?: number;
    reason?: string;
    /** Reconnect attempts since the last successful connection. */
    attempt?: number;
    /** How long until the next attempt, when reconnecting after a delay. */
    delayMs?: number;
}

export interface CloseEvent {
    code: number;
    reason: string;
    willReconnect: boolean;
}

export interface ChatEvents {
    connection_established: ConnectionEstablished;
    message: MessageData;
    message_updated: MessageData;
    message_deleted: MessageData;
    typing: TypingEvent;
    messages_read: MessagesReadEvent;
    error: ErrorEvent;
    state: StateChange;
    close: CloseEvent;
    /** The server could not replay everything missed (recovered: false): reload the history over REST. */
    resync: ConnectionEstablished;
    /** Every frame, before its own event. */
    frame: { type: string; seq?: number; [key: string]: unknown };
}

export interface ChatClientOptions {
    /** ws:// or wss:// origin of the server; by default the page's own origin. */
    url?: string;
    /** Gives a fresh access token: called on close 4401 "Token expired" and before reconnecting with an expired token. */
    refreshToken?: () => string | Promise<string>;
    /** Start from this chat event number (e.g. one kept from an earlier session). */
    sinceSeq?: number;
    /** First backoff ceiling in ms (default 500); it doubles per attempt, with jitter. */
    initialDelayMs?: number;
    /** Largest backoff in ms (default 30000). */
    maxDelayMs?: number;
    /** Reconnect attempts before giving up (default unlimited). */
    maxAttempts?: number;
    /** Handlers to subscribe at construction, by event name. */
    handlers?: { [E in keyof ChatEvents]?: (event: ChatEvents[E]) => void };
    /** A WebSocket implementation (default the global one). */
    WebSocket?: typeof WebSocket;
    /** The server's chat.limits.max-message-length (default 1000): longer texts are refused here. */
    maxTextLength?: number;
    /** Source of randomness for the jitter (default Math.random). */
    random?: () => number;
}

export declare class ChatWebSocket {
    constructor(chatId: number | string, token: string, options?: ChatClientOptions);

    readonly chatId: number | string;
    /** The current access token (replaced by refreshToken). */
    token: string;
    readonly state: ConnectionState;
    /** The last chat event number seen; a reconnect asks for every event after it. */
    readonly lastSeq: number | null;
    readonly isTyping: boolean;

    on<E extends keyof ChatEvents>(event: E, handler: (event: ChatEvents[E]) => void): () => void;
    off<E extends keyof ChatEvents>(event: E, handler: (event: ChatEvents[E]) => void): void;

    /** Opens the connection; reconnects by itself until disconnect() or a close it must not retry. */
    connect(): void;
    /** Closes the connection for good; unsent messages stay in the outbox. */
    disconnect(): void;

    /**
     * Sends a message with a client_id; kept in the outbox and sent again after a reconnect until the
     * server acknowledges it. Resolves with the stored message; rejects at once for an empty, too long
     * or invalid text, and when the server refuses it (rate limit).
     */
    sendMessage(text: string, options?: { clientId?: string }): Promise<MessageData>;
    /** Unacknowledged messages, oldest first. */
    pending(): { clientId: string; text: string }[];
    /** Drops an unacknowledged message from the outbox. */
    cancel(clientId: string): void;

    /** Edits one of my messages; false when not connected; throws RangeError for an empty, too long or invalid text. */
    editMessage(messageId: number, text: string): boolean;
    /** Deletes one of my messages; false when not connected. */
    deleteMessage(messageId: number): boolean;

    /** Typing on; stops by itself 3 seconds after the last call. */
    startTyping(): void;
    stopTyping(): void;
    /** Marks every message of the chat as read; when disconnected, once connected. */
    markAsRead(): void;

    /** Dispatches a server frame to the handlers; may be overridden. */
    handleMessage(frame: { type: string; [key: string]: unknown }): void;
}

export default ChatWebSocket;
