// A browser client of the chat server's WebSocket API, one ChatWebSocket per chat; it runs wherever a
// WHATWG WebSocket is global or given as options.WebSocket.
// Plain ES module, no dependencies, no build step. See chat-client.d.ts for the typed API and
// docs/protocol.md (or PROTOCOL.md) for the wire contract it implements.
//
// What it adds to the original document's ChatWebSocket:
// - the token goes in ?token= (browsers cannot set headers on a WebSocket), refreshed through a
//   callback when the server closes with 4401 "Token expired" or before reconnecting with an
//   expired one;
// - reconnects with exponential backoff and full jitter on the close codes the protocol says to
//   reconnect on (1001, 1011, 1012, 1013, and a dropped network: 1005/1006), never on the others;
// - recovery: reconnects with ?since_seq=<last seq seen>, so nothing is missed or repeated, and a
//   "resync" event when the server could not replay everything (recovered: false);
// - every message carries a client_id; unacknowledged ones stay in an outbox and are sent again
//   after a reconnect; the server stores each client_id once, so none is duplicated;
// - edit and delete, and "state" events (connecting, connected, reconnecting, closed).

/** The protocol's close codes: what each means and whether a client reconnects after it. */
export const CloseCodes = Object.freeze({
    NORMAL: 1000,
    GOING_AWAY: 1001, // "Ping timeout": reconnect after 0-1 s
    NO_STATUS: 1005, // no close frame: the network dropped; reconnect with backoff
    ABNORMAL: 1006, // the connection failed or dropped; reconnect with backoff
    UNSUPPORTED_DATA: 1003, // binary frame: a client bug, never reconnect
    TOO_BIG: 1009, // frame over 64 KiB: a client bug, never reconnect
    INTERNAL_ERROR: 1011, // reconnect with backoff
    SERVICE_RESTART: 1012, // reconnect after 0-1 s
    TRY_AGAIN_LATER: 1013, // "Too slow to keep up": reconnect with backoff; "Try again later" (a reconnect
    // storm): after a random delay that doubles at each such refusal: 0-1 s, 0-2 s, ... at most 30 s
    UNAUTHORIZED: 4401, // "Token expired": refresh and reconnect; "Invalid token": never
    FORBIDDEN: 4403, // not a participant: never
    CONFLICT: 4409, // already connected, or replaced by a newer connection: never
});

/** Close codes after which the client reconnects; any other code ends the connection for good. */
const RECONNECT = new Set([1001, 1005, 1006, 1011, 1012, 1013]);
/** Of those, the ones where the server asks for a short random delay instead of a backoff. */
const QUICK = new Set([1001, 1012]);
const TOKEN_EXPIRED = 'Token expired';
const TRY_AGAIN_LATER = 'Try again later';
const TYPING_STOP_MS = 3000;
/** U+0000 and unpaired surrogates: the server refuses both. */
const INVALID_CHARACTERS = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** How many message ids are remembered to show a resend's answer only once. */
const SEEN_IDS = 10000;

/**
 * One chat's connection. Construct, subscribe with on(), then connect().
 *
 * @param {number|string} chatId
 * @param {string} token an access token
 * @param {object} [options] see ChatClientOptions in chat-client.d.ts
 */
export class ChatWebSocket {
    constructor(chatId, token, options = {}) {
        this.chatId = chatId;
        this.token = token;
        this.options = {
            url: options.url ?? defaultUrl(),
            refreshToken: options.refreshToken ?? null,
            sinceSeq: options.sinceSeq ?? null,
            initialDelayMs: options.initialDelayMs ?? 500,
            maxDelayMs: options.maxDelayMs ?? 30000,
            maxAttempts: options.maxAttempts ?? Infinity,
            WebSocket: options.WebSocket ?? globalThis.WebSocket,
            random: options.random ?? Math.random,
            maxTextLength: options.maxTextLength ?? 1000,
        };
        this.socket = null;
        this.state = 'idle';
        this.isTyping = false;
        this.typingTimeout = null;
        /** The last chat event number seen; reconnects ask for everything after it. */
        this.lastSeq = this.options.sinceSeq;
        /** Messages sent and not yet acknowledged, by client_id, in send order. */
        this.outbox = new Map();
        this.listeners = new Map();
        this.attempt = 0;
        this.retryTimer = null;
        this.stopped = true;
        this.readPending = false;
        this.seenIds = new Set();
        this.onOnline = () => {
            if (this.retryTimer !== null) {
                this.clearRetry();
                this.open();
            }
        };
        for (const [event, handler] of Object.entries(options.handlers ?? {})) {
            this.on(event, handler);
        }
    }

    /**
     * Subscribes to an event: a server frame type ("message", "message_updated", "message_deleted",
     * "typing", "messages_read", "error", "connection_established"), or "state", "close", "resync",
     * "frame" (every frame). Returns a function that unsubscribes.
     */
    on(event, handler) {
        if (!this.listeners.has(event)) {
            this.listeners.set(event, new Set());
        }
        this.listeners.get(event).add(handler);
        return () => this.off(event, handler);
    }

    off(event, handler) {
        this.listeners.get(event)?.delete(handler);
    }

    /** Opens the connection; reconnects by itself until disconnect() or a close it must not retry. */
    connect() {
        if (!this.stopped) {
            return; // already connected or on the way
        }
        this.stopped = false;
        this.attempt = 0;
        this.firstOpen = true;
        globalThis.addEventListener?.('online', this.onOnline);
        this.open();
    }

    /** Closes the connection and stops reconnecting. Unsent messages stay in the outbox. */
    disconnect() {
        this.stopped = true;
        this.clearRetry();
        this.stopTyping();
        globalThis.removeEventListener?.('online', this.onOnline);
        const socket = this.socket;
        this.socket = null;
        if (socket) {
            detach(socket);
            socket.close(1000, 'Client disconnect');
        }
        this.setState('closed', {code: 1000, reason: 'Client disconnect'});
    }

    /**
     * Sends a message. It stays in the outbox until the server's broadcast acknowledges it, and is
     * sent again after a reconnect; a send while disconnected goes out once connected.
     * Resolves with the stored message (the `data` of its message frame); rejects when the server
     * refuses it (rate limit, invalid characters) or it is cancelled.
     */
    sendMessage(text, options = {}) {
        const trimmed = String(text ?? '').trim();
        const invalid = this.invalidText(trimmed);
        if (invalid) {
            return Promise.reject(new Error(invalid));
        }
        const clientId = options.clientId ?? newClientId();
        let entry = this.outbox.get(clientId);
        if (entry) {
            return entry.promise;
        }
        entry = {clientId, text: trimmed, sentOn: null};
        entry.promise = new Promise((resolve, reject) => {
            entry.resolve = resolve;
            entry.reject = reject;
        });
        entry.promise.catch(() => {}); // an unobserved refusal is not an unhandled rejection
        this.outbox.set(clientId, entry);
        if (this.state === 'connected') {
            this.transmit(entry);
        }
        return entry.promise;
    }

    /** Messages sent and not yet acknowledged, oldest first: {clientId, text}. */
    pending() {
        return [...this.outbox.values()].map(({clientId, text}) => ({clientId, text}));
    }

    /** Drops an unacknowledged message from the outbox (it may still have reached the server). */
    cancel(clientId) {
        const entry = this.outbox.get(clientId);
        if (entry) {
            this.outbox.delete(clientId);
            entry.reject(new Error('Cancelled'));
        }
    }

    /**
     * Edits one of my messages; returns false when not connected. Throws a RangeError for a text the
     * server would refuse (empty, too long, invalid characters).
     */
    editMessage(messageId, text) {
        const trimmed = String(text ?? '').trim();
        const invalid = this.invalidText(trimmed);
        if (invalid) {
            throw new RangeError(invalid);
        }
        return this.send({type: 'edit_message', message_id: messageId, text: trimmed});
    }

    /** Deletes one of my messages; returns false when not connected. */
    deleteMessage(messageId) {
        return this.send({type: 'delete_message', message_id: messageId});
    }

    /** Says I am typing; stops by itself 3 seconds after the last call. */
    startTyping() {
        if (!this.isTyping && this.send({type: 'typing', is_typing: true})) {
            this.isTyping = true;
        }
        clearTimeout(this.typingTimeout);
        this.typingTimeout = setTimeout(() => this.stopTyping(), TYPING_STOP_MS);
    }

    stopTyping() {
        clearTimeout(this.typingTimeout);
        this.typingTimeout = null;
        if (this.isTyping) {
            this.isTyping = false;
            this.send({type: 'typing', is_typing: false});
        }
    }

    /** Marks every message of the chat as read by me; when disconnected, once connected. */
    markAsRead() {
        if (!this.send({type: 'read_messages'})) {
            this.readPending = true;
        }
    }

    // ---- internals ----

    /** The server's error message for a text it would refuse, checked here so no error frame comes back. */
    invalidText(trimmed) {
        if (trimmed === '') {
            return 'Message text cannot be empty';
        }
        if ([...trimmed].length > this.options.maxTextLength) {
            return `Message text cannot exceed ${this.options.maxTextLength} characters`;
        }
        if (INVALID_CHARACTERS.test(trimmed)) {
            return 'Message text contains invalid characters';
        }
        return null;
    }

    send(frame) {
        if (this.state !== 'connected' || !this.socket) {
            return false;
        }
        this.socket.send(JSON.stringify(frame));
        return true;
    }

    transmit(entry) {
        entry.sentOn = this.socket;
        this.send({type: 'message', text: entry.text, client_id: entry.clientId});
    }

    async open() {
        if (this.stopped) {
            return;
        }
        this.setState(this.firstOpen ? 'connecting' : 'reconnecting', {attempt: this.attempt});
        if (this.options.refreshToken && tokenExpired(this.token)) {
            if (!(await this.refresh()) || this.stopped) {
                return;
            }
        }
        const query = new URLSearchParams({token: this.token});
        if (this.lastSeq !== null && this.lastSeq !== undefined) {
            query.set('since_seq', String(this.lastSeq));
        }
        const base = this.options.url.replace(/\/$/, '');
        let socket;
        try {
            socket = new this.options.WebSocket(`${base}/ws/chat/${this.chatId}/?${query}`);
        } catch (failure) {
            this.closed({code: 1006, reason: String(failure)});
            return;
        }
        this.socket = socket;
        socket.onmessage = (event) => this.receive(event.data);
        socket.onclose = (event) => {
            if (this.socket === socket) {
                this.socket = null;
                this.closed({code: event.code, reason: event.reason});
            }
        };
        socket.onerror = () => {}; // a close event follows, with the code
    }

    receive(raw) {
        let frame;
        try {
            frame = JSON.parse(raw);
        } catch {
            return;
        }
        if (frame.type === 'connection_established') {
            this.established(frame);
            return;
        }
        if (frame.type === 'message' && frame.data) {
            const entry = frame.data.client_id ? this.outbox.get(frame.data.client_id) : undefined;
            if (entry && frame.data.sender?.id !== undefined) {
                this.outbox.delete(entry.clientId);
                entry.resolve(frame.data);
            }
            // a message is shown once, whichever comes first: its event, or the answer to a resend
            // of it (which carries no seq) when its event was missed and is being replayed
            const seen = this.seenIds.has(frame.data.id);
            this.seenIds.add(frame.data.id);
            if (this.seenIds.size > SEEN_IDS) {
                this.seenIds.delete(this.seenIds.values().next().value);
            }
            if (seen) {
                if (typeof frame.seq === 'number' && (this.lastSeq === null || frame.seq > this.lastSeq)) {
                    this.lastSeq = frame.seq;
                }
                return;
            }
        }
        if (frame.type === 'error') {
            this.refused(frame.message);
        }
        if (typeof frame.seq === 'number') {
            if (this.lastSeq !== null && frame.seq <= this.lastSeq) {
                return; // already seen: never shown twice
            }
            this.lastSeq = frame.seq;
        }
        this.handleMessage(frame);
    }

    /** Dispatches a server frame to its handlers; override it to handle frames in a subclass. */
    handleMessage(frame) {
        this.emit('frame', frame);
        this.emit(frame.type, frame.data ?? frame, frame);
    }

    established(frame) {
        const recovering = this.lastSeq !== null && this.lastSeq !== undefined;
        if (!recovering) {
            // the server's number is where we stand; live events follow it. When recovering, the
            // replayed events move lastSeq on (all of them if recovered, the latest 1000 if not)
            this.lastSeq = frame.seq;
        }
        this.attempt = 0;
        this.setState('connected');
        this.emit('frame', frame);
        this.emit('connection_established', frame, frame);
        if (frame.recovered === false) {
            this.emit('resync', frame, frame);
        }
        for (const entry of this.outbox.values()) {
            this.transmit(entry);
        }
        if (this.readPending) {
            this.readPending = false;
            this.send({type: 'read_messages'});
        }
    }

    /** An error frame for a send that the server will never store: its sender learns why. */
    refused(message) {
        if (!/^(Rate limit exceeded|Message text)/.test(message ?? '')) {
            return;
        }
        for (const entry of this.outbox.values()) {
            if (entry.sentOn === this.socket) {
                this.outbox.delete(entry.clientId);
                entry.reject(new Error(message));
                return;
            }
        }
    }

    async closed({code, reason}) {
        this.firstOpen = false;
        this.isTyping = false;
        clearTimeout(this.typingTimeout);
        const expired = code === 4401 && reason === TOKEN_EXPIRED && this.options.refreshToken;
        const retry = !this.stopped && (RECONNECT.has(code) || expired) && this.attempt < this.options.maxAttempts;
        this.emit('close', {code, reason, willReconnect: Boolean(retry)});
        if (!retry) {
            this.stopped = true;
            this.setState('closed', {code, reason});
            return;
        }
        if (expired) {
            this.setState('reconnecting', {code, reason, attempt: this.attempt});
            if (await this.refresh() && !this.stopped) {
                this.attempt++;
                this.open();
            }
            return;
        }
        const delay = this.delay(code, reason);
        this.attempt++;
        this.setState('reconnecting', {code, reason, attempt: this.attempt, delayMs: delay});
        this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            this.open();
        }, delay);
    }

    /**
     * A random delay up to the exponential backoff, or up to 1 s where the server asks; after a storm's
     * "Try again later", anywhere from 0 up to 1 s doubled at each refusal in a row (full jitter: the
     * refused spread out over the whole window instead of coming back together).
     */
    delay(code, reason) {
        if (QUICK.has(code) && this.attempt === 0) {
            return Math.floor(this.options.random() * 1000);
        }
        if (code === CloseCodes.TRY_AGAIN_LATER && reason === TRY_AGAIN_LATER) {
            return Math.floor(this.options.random() * Math.min(this.options.maxDelayMs, 1000 * 2 ** this.attempt));
        }
        const ceiling = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** this.attempt);
        return Math.floor(ceiling / 2 + this.options.random() * ceiling / 2);
    }

    async refresh() {
        try {
            const token = await this.options.refreshToken();
            if (!token) {
                throw new Error('no token');
            }
            this.token = token;
            return true;
        } catch (failure) {
            this.stopped = true;
            this.setState('closed', {code: 4401, reason: 'Token refresh failed: ' + (failure?.message ?? failure)});
            return false;
        }
    }

    clearRetry() {
        if (this.retryTimer !== null) {
            clearTimeout(this.retryTimer);
            this.retryTimer = null;
        }
    }

    setState(state, details = {}) {
        const previous = this.state;
        this.state = state;
        this.emit('state', {state, previous, ...details});
    }

    emit(event, payload, frame) {
        for (const handler of [...(this.listeners.get(event) ?? [])]) {
            try {
                handler(payload, frame);
            } catch (failure) {
                console.error(`chat-client: a "${event}" handler failed`, failure);
            }
        }
    }
}

function detach(socket) {
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
}

function defaultUrl() {
    const location = globalThis.location;
    if (!location || !/^https?:$/.test(location.protocol)) {
        return 'ws://localhost:8000';
    }
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host;
}

function newClientId() {
    if (globalThis.crypto?.randomUUID) {
        return globalThis.crypto.randomUUID();
    }
    return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
}

/** Whether a JWT's exp has passed; false when it cannot be read (the server then decides). */
function tokenExpired(token) {
    try {
        const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
        const {exp} = JSON.parse(atob(payload.padEnd(payload.length + (4 - payload.length % 4) % 4, '=')));
        return typeof exp === 'number' && exp * 1000 <= Date.now();
    } catch {
        return false;
    }
}

export default ChatWebSocket;
