// The chat page: register or log in, my chats, a conversation. Built on the JavaScript client that
// the server serves at /client/chat-client.js; no framework, no build step. Tokens are kept in
// sessionStorage, so two tabs can be two users.
import {ChatWebSocket} from '/client/chat-client.js';

const $ = (id) => document.getElementById(id);
const STATE_LABELS = {
    idle: '', connecting: 'connecting…', connected: 'connected', reconnecting: 'reconnecting…', closed: 'offline',
};
const CHAT_LIST_REFRESH_MS = 5000;

const session = {
    get access() { return sessionStorage.getItem('chat.access'); },
    get refresh() { return sessionStorage.getItem('chat.refresh'); },
    save(tokens) {
        sessionStorage.setItem('chat.access', tokens.access);
        if (tokens.refresh) {
            sessionStorage.setItem('chat.refresh', tokens.refresh);
        }
    },
    clear() {
        sessionStorage.removeItem('chat.access');
        sessionStorage.removeItem('chat.refresh');
    },
};

let me = null;
let chats = [];
let listTimer = null;
/** The open conversation: its chat, client, messages by id, pending sends, and who read how far. */
let open = null;

// ---- REST ----

class ApiError extends Error {
    constructor(status, body) {
        super(describe(body) || `HTTP ${status}`);
        this.status = status;
    }
}

function describe(body) {
    if (!body) {
        return '';
    }
    const fields = body.errors ? Object.values(body.errors).flat().join(' ') : '';
    return [body.detail, fields].filter(Boolean).join(' ');
}

async function api(method, path, body, retried = false) {
    const headers = {Accept: 'application/json'};
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    if (session.access) {
        headers.Authorization = `Bearer ${session.access}`;
    }
    const response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    if (response.status === 401 && session.refresh && !retried && !path.startsWith('/api/token')) {
        if (await refreshAccess()) {
            return api(method, path, body, true);
        }
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
        if (response.status === 401 && !path.startsWith('/api/token') && !path.startsWith('/api/auth')) {
            logOut();
        }
        throw new ApiError(response.status, json);
    }
    return json;
}

async function refreshAccess() {
    try {
        const tokens = await api('POST', '/api/token/refresh/', {refresh: session.refresh}, true);
        session.save(tokens);
        return tokens.access;
    } catch {
        return null;
    }
}

// ---- sign in ----

async function signIn(register) {
    const username = $('username').value.trim();
    const password = $('password').value;
    $('auth-error').textContent = '';
    try {
        if (register) {
            await api('POST', '/api/auth/register/', {
                username, password, first_name: $('first-name').value.trim(), last_name: $('last-name').value.trim(),
            });
        }
        session.save(await api('POST', '/api/token/', {username, password}));
        await start();
    } catch (failure) {
        $('auth-error').textContent = failure.message;
    }
}

function logOut() {
    closeConversation();
    clearInterval(listTimer);
    session.clear();
    me = null;
    $('app').hidden = true;
    $('auth').hidden = false;
}

async function start() {
    if (!session.access) {
        $('auth').hidden = false;
        return;
    }
    try {
        me = await api('GET', '/api/users/me/');
    } catch {
        logOut();
        return;
    }
    $('auth').hidden = true;
    $('app').hidden = false;
    $('me').textContent = me.username;
    await loadChats();
    clearInterval(listTimer);
    listTimer = setInterval(() => loadChats().catch(() => {}), CHAT_LIST_REFRESH_MS);
}

// ---- chats ----

function chatName(chat) {
    const others = chat.participants.filter((p) => p.id !== me.id).map((p) => p.username);
    return chat.name || others.join(', ') || `Chat ${chat.id}`;
}

async function loadChats() {
    chats = await api('GET', '/api/chats/');
    chats.sort((a, b) => activity(b).localeCompare(activity(a)));
    const list = $('chat-list');
    list.replaceChildren(...chats.map((chat) => {
        const item = element('li', {dataset: {chatId: chat.id}});
        item.classList.toggle('active', open?.chat.id === chat.id);
        const summary = element('div', {className: 'summary'});
        summary.append(element('div', {className: 'name', textContent: chatName(chat)}));
        const last = chat.last_message;
        summary.append(element('div', {className: 'last', textContent: last ? preview(last) : 'No messages yet'}));
        item.append(summary);
        const unread = open?.chat.id === chat.id ? 0 : chat.unread_count;
        if (unread > 0) {
            item.append(element('span', {className: 'unread', textContent: String(unread)}));
        }
        item.addEventListener('click', () => openChat(chat));
        return item;
    }));
    $('no-chats').hidden = chats.length > 0;
}

function activity(chat) {
    return chat.last_message?.timestamp ?? chat.created_at ?? '';
}

function preview(message) {
    const text = message.is_deleted ? 'message deleted' : message.text;
    return (message.sender?.id === me.id ? 'You: ' : '') + text;
}

let searchTimer = null;

function search() {
    clearTimeout(searchTimer);
    const text = $('search').value.trim();
    if (!text) {
        $('search-results').replaceChildren();
        return;
    }
    searchTimer = setTimeout(async () => {
        const users = (await api('GET', `/api/users/?search=${encodeURIComponent(text)}`)).filter((u) => u.id !== me.id);
        $('search-results').replaceChildren(...(users.length ? users.map((user) => {
            const item = element('li', {dataset: {userId: user.id}});
            const name = [user.first_name, user.last_name].filter(Boolean).join(' ');
            item.textContent = name ? `${user.username} (${name})` : user.username;
            item.addEventListener('click', () => startChatWith(user));
            return item;
        }) : [element('li', {className: 'hint', textContent: 'No one by that name'})]));
    }, 200);
}

async function startChatWith(user) {
    $('search').value = '';
    $('search-results').replaceChildren();
    let chat = chats.find((c) => c.participants.length === 2 && c.participants.some((p) => p.id === user.id));
    if (!chat) {
        chat = await api('POST', '/api/chats/', {participant_ids: [user.id]});
        await loadChats();
        chat = chats.find((c) => c.id === chat.id) ?? chat;
    }
    await openChat(chat);
}

// ---- the conversation ----

function closeConversation() {
    if (open) {
        open.client.disconnect();
        open = null;
    }
    $('conversation').hidden = true;
    $('empty').hidden = false;
    $('app').classList.remove('chatting');
}

async function openChat(chat) {
    closeConversation();
    const client = new ChatWebSocket(chat.id, session.access, {refreshToken: () => refreshAccess()});
    open = {chat, client, messages: new Map(), hasMore: false, readUpTo: 0, typing: new Map(), editing: null};
    const current = open;
    $('chat-title').textContent = chatName(chat);
    $('conversation').hidden = false;
    $('empty').hidden = true;
    $('app').classList.add('chatting');
    $('messages').replaceChildren();
    $('typing').textContent = '';
    $('send-error').textContent = '';
    stopEditing();
    for (const item of $('chat-list').children) {
        item.classList.toggle('active', Number(item.dataset.chatId) === chat.id);
        if (Number(item.dataset.chatId) === chat.id) {
            item.querySelector('.unread')?.remove();
        }
    }

    client.on('state', ({state}) => {
        $('conn-state').dataset.state = state;
        $('conn-state').textContent = STATE_LABELS[state] ?? state;
        if (state === 'connected') {
            catchUp(current).catch(() => {});
        }
    });
    client.on('resync', () => catchUp(current).catch(() => {}));
    client.on('message', (message) => {
        upsert(current, message);
        if (message.sender.id !== me.id) {
            readSoon(current);
        }
    });
    client.on('message_updated', (message) => upsert(current, message));
    client.on('message_deleted', (message) => upsert(current, message));
    client.on('typing', ({username, is_typing: on}) => {
        clearTimeout(current.typing.get(username));
        current.typing.delete(username);
        if (on) {
            // never shown forever if the stop was lost
            current.typing.set(username, setTimeout(() => {
                current.typing.delete(username);
                showTyping(current);
            }, 6000));
        }
        showTyping(current);
    });
    client.on('messages_read', (read) => {
        if (read.user_id !== me.id) {
            current.readUpTo = Math.max(current.readUpTo, read.last_read_message_id ?? Number.MAX_SAFE_INTEGER);
            render(current);
        }
    });
    client.on('error', ({message}) => {
        $('send-error').textContent = message;
    });

    const page = await api('GET', `/api/chats/${chat.id}/messages/?limit=30`);
    if (open !== current) {
        return;
    }
    page.results.forEach((message) => current.messages.set(message.id, message));
    current.hasMore = page.has_more;
    render(current, 'bottom');
    client.connect();
    client.markAsRead();
    $('text').focus();
}

/** Fetches what was stored after the newest message shown: after a (re)connect or a lost replay. */
async function catchUp(current) {
    let more = true;
    while (more && open === current) {
        const newest = Math.max(0, ...current.messages.keys());
        const page = await api('GET', `/api/chats/${current.chat.id}/messages/?after_id=${newest}&limit=200`);
        page.results.forEach((message) => current.messages.set(message.id, message));
        more = page.has_more && page.results.length > 0;
        if (page.results.length) {
            render(current, 'bottom');
        }
    }
}

async function loadOlder() {
    const current = open;
    const oldest = Math.min(...current.messages.keys());
    const scroller = $('scroller');
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    const page = await api('GET', `/api/chats/${current.chat.id}/messages/?before_id=${oldest}&limit=30`);
    page.results.forEach((message) => current.messages.set(message.id, message));
    current.hasMore = page.has_more;
    render(current);
    scroller.scrollTop = scroller.scrollHeight - fromBottom;
}

let listSoon = null;

function upsert(current, message) {
    if (open !== current) {
        return;
    }
    clearTimeout(listSoon);
    listSoon = setTimeout(() => loadChats().catch(() => {}), 500); // the last message shown in the list
    const scroller = $('scroller');
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    current.messages.set(message.id, message);
    render(current, atBottom || message.sender.id === me.id ? 'bottom' : undefined);
}

let readTimer = null;

function readSoon(current) {
    clearTimeout(readTimer);
    readTimer = setTimeout(() => {
        if (open === current && document.visibilityState === 'visible') {
            current.client.markAsRead();
        }
    }, 300);
}

function render(current, scroll) {
    if (open !== current) {
        return;
    }
    $('older').hidden = !current.hasMore;
    const sorted = [...current.messages.values()].sort((a, b) => a.id - b.id);
    const items = sorted.map((message) => messageItem(current, message));
    for (const {clientId, text} of current.client.pending()) {
        const item = element('li', {className: 'mine pending', dataset: {clientId}});
        item.append(element('div', {className: 'text', textContent: text}));
        item.append(element('div', {className: 'meta', textContent: 'sending…'}));
        items.push(item);
    }
    $('messages').replaceChildren(...items);
    if (scroll === 'bottom') {
        $('scroller').scrollTop = $('scroller').scrollHeight;
    }
}

function messageItem(current, message) {
    const mine = message.sender.id === me.id;
    const item = element('li', {dataset: {id: message.id}});
    item.classList.toggle('mine', mine);
    item.classList.toggle('deleted', message.is_deleted);
    if (!mine && current.chat.participants.length > 2) {
        item.append(element('div', {className: 'sender', textContent: message.sender.username}));
    }
    item.append(element('div', {className: 'text', textContent: message.is_deleted ? 'Message deleted' : message.text}));
    const meta = element('div', {className: 'meta'});
    meta.append(element('time', {
        dateTime: message.timestamp, textContent: new Date(message.timestamp).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'}),
    }));
    if (message.is_edited && !message.is_deleted) {
        meta.append(element('span', {className: 'edited', textContent: 'edited'}));
    }
    if (mine && !message.is_deleted) {
        if (message.id <= current.readUpTo) {
            meta.append(element('span', {className: 'read', textContent: '✓✓ read'}));
        }
        const edit = element('button', {type: 'button', className: 'link edit', textContent: 'Edit'});
        edit.addEventListener('click', () => startEditing(message));
        const remove = element('button', {type: 'button', className: 'link delete', textContent: 'Delete'});
        remove.addEventListener('click', () => {
            if (!current.client.deleteMessage(message.id)) {
                $('send-error').textContent = 'Not connected: try again in a moment';
            }
        });
        meta.append(edit, remove);
    }
    item.append(meta);
    return item;
}

function showTyping(current) {
    if (open !== current) {
        return;
    }
    const names = [...current.typing.keys()];
    $('typing').textContent = names.length === 0 ? ''
        : `${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} typing…`;
}

function startEditing(message) {
    open.editing = message.id;
    $('editing').hidden = false;
    $('text').value = message.text;
    $('text').focus();
}

function stopEditing() {
    if (open) {
        open.editing = null;
    }
    $('editing').hidden = true;
}

function submit(event) {
    event.preventDefault();
    const current = open;
    const text = $('text').value.trim();
    if (!current || !text) {
        return;
    }
    $('send-error').textContent = '';
    if (current.editing !== null) {
        try {
            if (!current.client.editMessage(current.editing, text)) {
                $('send-error').textContent = 'Not connected: try again in a moment';
                return;
            }
        } catch (invalid) {
            $('send-error').textContent = invalid.message;
            return;
        }
        stopEditing();
    } else {
        current.client.sendMessage(text)
            .then(() => render(current, 'bottom'))
            .catch((failure) => {
                $('send-error').textContent = failure.message;
                render(current);
            });
        render(current, 'bottom');
    }
    current.client.stopTyping();
    $('text').value = '';
}

function element(tag, properties = {}) {
    const node = document.createElement(tag);
    const {dataset, ...rest} = properties;
    Object.assign(node, rest);
    Object.assign(node.dataset, dataset ?? {});
    return node;
}

// ---- wiring ----

$('auth-form').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(false);
});
$('register').addEventListener('click', () => {
    if ($('auth-form').reportValidity()) {
        signIn(true);
    }
});
$('logout').addEventListener('click', logOut);
$('search').addEventListener('input', search);
$('back').addEventListener('click', () => {
    closeConversation();
    loadChats().catch(() => {});
});
$('older').addEventListener('click', () => loadOlder().catch(() => {}));
$('composer').addEventListener('submit', submit);
$('cancel-edit').addEventListener('click', () => {
    stopEditing();
    $('text').value = '';
});
$('text').addEventListener('input', () => {
    if (open && $('text').value && open.editing === null) {
        open.client.startTyping();
    }
});
document.addEventListener('visibilitychange', () => {
    if (open && document.visibilityState === 'visible') {
        open.client.markAsRead();
    }
});

start();
