/* Web view of the local Telegram Bot API sandbox: chats as a person sees them in Telegram.
 *
 * Plain browser JavaScript, no build step. Everything the server sends is rendered through DOM
 * nodes; message HTML goes through a whitelist sanitizer (never innerHTML of received text). */
'use strict';

(function () {
  const POLL_MS = 1000;
  const EVENTS_WAIT_S = 20;
  const API = '/sandbox';

  const state = {
    chats: [],
    chatsSignature: '',
    chatId: null,
    messages: [],
    messagesSignature: '',
    userId: null,
    eventsSince: 0,
    eventsAvailable: true,
    pressedCallbacks: new Set(),
    shownAnswers: new Set(),
  };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- helpers

  /** Russian plural: plural(5, ['сообщение', 'сообщения', 'сообщений']) -> 'сообщений'. */
  function plural(n, forms) {
    const mod10 = n % 10;
    const mod100 = n % 100;
    if (mod10 === 1 && mod100 !== 11) return forms[0];
    if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
    return forms[2];
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async function api(method, path, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(API + path, init);
    const payload = await readJson(response);
    if (!response.ok) {
      const reason = (payload && (payload.error || payload.description)) || response.statusText;
      const error = new Error(String(reason));
      error.status = response.status;
      throw error;
    }
    return payload;
  }

  async function readJson(response) {
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch (_error) {
      return { error: text };
    }
  }

  let toastTimer = null;
  function toast(message, kind) {
    const box = $('toast');
    box.textContent = message;
    box.dataset.kind = kind || 'info';
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 3500);
  }

  function setStatus(online) {
    const status = $('connection-status');
    status.dataset.state = online ? 'online' : 'offline';
    status.textContent = online ? 'сервер на связи' : 'нет связи с песочницей';
  }

  // ---------------------------------------------------------------- chats

  function chatTitle(chat) {
    if (chat.title) return chat.title;
    const name = [chat.first_name, chat.last_name].filter(Boolean).join(' ');
    return name || (chat.username ? '@' + chat.username : 'Чат ' + chat.id);
  }

  function chatKindLabel(chat) {
    const labels = { channel: 'канал', group: 'группа', supergroup: 'группа', private: 'личный чат' };
    const parts = [labels[chat.type] || chat.type];
    if (chat.username) parts.push('@' + chat.username);
    if (chat.blocked) parts.push('бот заблокирован');
    if (chat.migrated_to) parts.push('перенесена в супергруппу');
    return parts.join(' · ');
  }

  function messageCountLabel(count) {
    return count + ' ' + plural(count, ['сообщение', 'сообщения', 'сообщений']);
  }

  const AVATAR_COLORS = ['#e17076', '#7bc862', '#65aadd', '#a695e7', '#ee7aae', '#6ec9cb', '#faa774'];

  function avatar(title, id, className) {
    const node = el('div', className || 'avatar');
    const words = String(title).replace(/[^\p{L}\p{N}\s]/gu, ' ').trim().split(/\s+/);
    const initials = words.slice(0, 2).map((w) => w.charAt(0)).join('').toUpperCase();
    node.textContent = initials || '?';
    node.style.backgroundColor = AVATAR_COLORS[Math.abs(Number(id) || 0) % AVATAR_COLORS.length];
    return node;
  }

  function findChat(chatId) {
    return state.chats.find((chat) => String(chat.id) === String(chatId)) || null;
  }

  function privateUsers() {
    return state.chats.filter((chat) => chat.type === 'private' && !chat.is_bot);
  }

  const SECTIONS = [
    { title: 'Каналы', types: ['channel'] },
    { title: 'Группы', types: ['group', 'supergroup'] },
    { title: 'Личные чаты', types: ['private'] },
  ];

  function renderChatList() {
    const list = $('chat-list');
    list.replaceChildren();
    for (const section of SECTIONS) {
      const chats = state.chats.filter((chat) => section.types.includes(chat.type));
      if (chats.length === 0) continue;
      list.appendChild(el('div', 'chat-section', section.title));
      for (const chat of chats) list.appendChild(chatListItem(chat));
    }
    if (state.chats.length === 0) list.appendChild(el('div', 'chat-list-empty', 'Чатов пока нет'));
  }

  function chatListItem(chat) {
    const item = el('button', 'chat-item');
    item.type = 'button';
    item.dataset.chatId = String(chat.id);
    item.dataset.chatType = chat.type;
    if (String(chat.id) === String(state.chatId)) item.classList.add('active');
    const body = el('div', 'chat-item-body');
    body.append(el('div', 'chat-item-title', chatTitle(chat)), el('div', 'chat-item-kind', chatKindLabel(chat)));
    item.append(avatar(chatTitle(chat), chat.id), body);
    const count = Number(chat.message_count || 0);
    const badge = el('span', 'chat-item-count', count);
    badge.title = messageCountLabel(count);
    item.appendChild(badge);
    item.addEventListener('click', () => selectChat(chat.id));
    return item;
  }

  function renderChatHeader() {
    const chat = findChat(state.chatId);
    const avatarSlot = $('chat-avatar');
    $('chat-title').textContent = chat ? chatTitle(chat) : 'Выберите чат';
    $('chat-subtitle').textContent = chat
      ? chatKindLabel(chat) + ' · ' + messageCountLabel(Number(chat.message_count || 0))
      : '';
    if (!chat) {
      avatarSlot.hidden = true;
      return;
    }
    const fresh = avatar(chatTitle(chat), chat.id);
    fresh.id = 'chat-avatar';
    avatarSlot.replaceWith(fresh);
  }

  function selectChat(chatId) {
    state.chatId = chatId;
    state.messages = [];
    state.messagesSignature = '';
    history.replaceState(null, '', '#chat=' + encodeURIComponent(chatId));
    const chat = findChat(chatId);
    if (chat && chat.type === 'private' && !chat.is_bot) selectUser(chat.id);
    renderChatList();
    renderChatHeader();
    renderComposerTarget();
    renderPinnedBar();
    $('messages').replaceChildren(el('div', 'empty-state', 'Загрузка…'));
    refreshMessages(true).catch(reportPollError);
  }

  // ---------------------------------------------------------------- users and composer

  function renderUserPicker() {
    const picker = $('user-picker');
    const users = privateUsers();
    picker.replaceChildren();
    if (users.length === 0) {
      picker.appendChild(new Option('— нет пользователей —', ''));
      picker.disabled = true;
      state.userId = null;
      return;
    }
    picker.disabled = false;
    for (const user of users) picker.appendChild(new Option(userLabel(user), String(user.id)));
    if (!users.some((user) => String(user.id) === String(state.userId))) state.userId = users[0].id;
    picker.value = String(state.userId);
  }

  function userLabel(user) {
    const name = chatTitle(user);
    return user.username ? name + ' (@' + user.username + ')' : name;
  }

  function selectUser(userId) {
    state.userId = userId;
    $('user-picker').value = String(userId);
    renderComposerTarget();
  }

  /** Where a typed message goes: the open group, else the user's private chat with the bot. */
  function composerTargetChatId() {
    const chat = findChat(state.chatId);
    if (chat && (chat.type === 'group' || chat.type === 'supergroup')) return chat.id;
    return state.userId;
  }

  function renderComposerTarget() {
    const chat = findChat(state.chatId);
    const target = $('composer-target');
    if (state.userId === null) {
      target.textContent = 'создайте пользователя, чтобы писать боту';
    } else if (chat && (chat.type === 'group' || chat.type === 'supergroup')) {
      target.textContent = '→ в группу «' + chatTitle(chat) + '»';
    } else {
      target.textContent = '→ в личный чат с ботом';
    }
  }

  async function sendMessage(event) {
    event.preventDefault();
    const input = $('composer-input');
    const text = input.value.trim();
    if (!text) return;
    if (state.userId === null) {
      toast('Сначала создайте пользователя', 'error');
      return;
    }
    const chatId = composerTargetChatId();
    try {
      await api('POST', '/chats/' + encodeURIComponent(chatId) + '/messages', {
        from_id: Number(state.userId),
        text,
      });
    } catch (error) {
      toast('Не удалось отправить: ' + error.message, 'error');
      return;
    }
    input.value = '';
    if (String(chatId) !== String(state.chatId)) selectChat(chatId);
    await refreshAll().catch(reportPollError);
  }

  async function createUser(event) {
    event.preventDefault();
    const input = $('new-user-name');
    const firstName = input.value.trim();
    if (!firstName) {
      toast('Введите имя пользователя', 'error');
      return;
    }
    let chat;
    try {
      chat = await api('POST', '/chats', { type: 'private', first_name: firstName });
    } catch (error) {
      toast('Не удалось создать пользователя: ' + error.message, 'error');
      return;
    }
    input.value = '';
    await refreshChats();
    selectUser(chat.id);
    selectChat(chat.id);
    toast('Пользователь «' + firstName + '» создан');
  }

  /** Who presses a button: in a private chat only its own user can, elsewhere the picked one. */
  function presserId() {
    const chat = findChat(state.chatId);
    if (chat && chat.type === 'private') return chat.id;
    return state.userId;
  }

  async function pressButton(message, button) {
    const fromId = presserId();
    if (fromId === null) {
      toast('Сначала создайте пользователя', 'error');
      return;
    }
    let result;
    try {
      result = await api('POST', '/chats/' + encodeURIComponent(state.chatId) + '/messages', {
        from_id: Number(fromId),
        callback_data: button.callback_data,
        message_id: message.message_id,
      });
    } catch (error) {
      toast('Кнопка не сработала: ' + error.message, 'error');
      return;
    }
    toast('Нажата кнопка «' + button.text + '»');
    if (result && result.callback_query_id) state.pressedCallbacks.add(String(result.callback_query_id));
    announceCallbackAnswers(state.messages); // the bot may have answered before we got here
    await refreshAll().catch(reportPollError);
  }

  /** Show the bot's answer to a button this page pressed (answerCallbackQuery text), once. */
  function announceCallbackAnswers(messages) {
    for (const message of messages) {
      for (const answer of message.callback_answers || []) {
        const id = String(answer.callback_query_id);
        if (!state.pressedCallbacks.has(id) || state.shownAnswers.has(id)) continue;
        state.shownAnswers.add(id);
        if (answer.text) toast((answer.show_alert ? '⚠ ' : '') + answer.text, 'answer');
      }
    }
  }

  // ---------------------------------------------------------------- sanitizer

  const TAG_MAP = {
    b: 'b', strong: 'b', i: 'i', em: 'i', u: 'u', ins: 'u', s: 's', strike: 's', del: 's',
    a: 'a', code: 'code', pre: 'pre', blockquote: 'blockquote', br: 'br',
    'tg-spoiler': 'tg-spoiler', 'tg-emoji': 'span', span: 'span',
  };
  const DROPPED_TAGS = new Set(['script', 'style', 'template', 'iframe', 'object', 'embed', 'noscript']);
  const SAFE_URL = /^(https?:|tg:|mailto:)/i;

  /** Parse Telegram HTML in an inert document and rebuild it from whitelisted nodes only. */
  function sanitizedFragment(html) {
    const parsed = new DOMParser().parseFromString(String(html), 'text/html');
    const fragment = document.createDocumentFragment();
    copySafeChildren(parsed.body, fragment);
    return fragment;
  }

  function copySafeChildren(source, target) {
    for (const child of Array.from(source.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        target.appendChild(document.createTextNode(child.nodeValue));
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        copySafeElement(child, target);
      }
    }
  }

  function copySafeElement(source, target) {
    const tag = source.tagName.toLowerCase();
    if (DROPPED_TAGS.has(tag)) return;
    const safe = safeElement(source, tag);
    if (safe === null) {
      copySafeChildren(source, target); // unknown tag: keep its text, drop the tag
      return;
    }
    copySafeChildren(source, safe);
    target.appendChild(safe);
  }

  function safeElement(source, tag) {
    const mapped = TAG_MAP[tag];
    if (!mapped) return null;
    if (tag === 'span' && !source.classList.contains('tg-spoiler')) return null;
    if (tag === 'tg-spoiler' || tag === 'span') return spoilerElement();
    const node = document.createElement(mapped);
    if (tag === 'a') return safeLink(source, node);
    if (tag === 'code') copyLanguageClass(source, node);
    if (tag === 'blockquote' && source.hasAttribute('expandable')) node.className = 'expandable';
    if (tag === 'tg-emoji') node.className = 'tg-emoji';
    return node;
  }

  function safeLink(source, node) {
    const href = (source.getAttribute('href') || '').trim();
    if (!SAFE_URL.test(href)) return document.createElement('span');
    node.setAttribute('href', href);
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
    return node;
  }

  function copyLanguageClass(source, node) {
    const match = /(?:^|\s)language-([\w+#-]{1,32})(?:\s|$)/.exec(source.className || '');
    if (match) node.className = 'language-' + match[1];
  }

  function spoilerElement() {
    const node = document.createElement('span');
    node.className = 'tg-spoiler';
    node.title = 'Нажмите, чтобы показать';
    node.addEventListener('click', () => node.classList.add('revealed'));
    return node;
  }

  // ---------------------------------------------------------------- messages

  function messageText(message) {
    if (typeof message.html === 'string' && message.html !== '') return sanitizedFragment(message.html);
    const plain = message.text || message.caption || '';
    return document.createTextNode(plain);
  }

  function formatTime(unix) {
    const date = new Date(Number(unix) * 1000);
    return date.toLocaleTimeString('ru-RU', { hour: '2-digit', minute: '2-digit' });
  }

  function formatDay(unix) {
    const date = new Date(Number(unix) * 1000);
    return date.toLocaleDateString('ru-RU', { day: 'numeric', month: 'long', year: 'numeric' });
  }

  function isOutgoing(message, chat) {
    if (!chat || chat.type === 'channel' || !message.from || message.from.is_bot) return false;
    if (chat.type === 'private') return true;
    return String(message.from.id) === String(state.userId);
  }

  function senderName(message) {
    const from = message.from || {};
    return [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username || 'Бот';
  }

  function renderMessages(forceScroll) {
    const box = $('messages');
    const wasAtBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
    const chat = findChat(state.chatId);
    box.replaceChildren();
    box.classList.toggle('channel-feed', Boolean(chat && chat.type === 'channel'));
    renderPinnedBar();
    if (state.messages.length === 0) box.appendChild(el('div', 'empty-state', 'Сообщений пока нет'));
    let day = null;
    for (const message of state.messages) {
      const thisDay = formatDay(message.date);
      if (thisDay !== day) box.appendChild(el('div', 'day-separator', thisDay));
      day = thisDay;
      box.appendChild(messageRow(message, chat));
    }
    if (forceScroll || wasAtBottom) scrollToBottom(box);
  }

  function scrollToBottom(box) {
    box.scrollTop = box.scrollHeight;
    for (const img of box.querySelectorAll('img')) {
      if (!img.complete) img.addEventListener('load', () => { box.scrollTop = box.scrollHeight; }, { once: true });
    }
  }

  function lastPinned() {
    const pinned = state.messages.filter((message) => message.pinned && !message.deleted);
    return pinned.length ? pinned[pinned.length - 1] : null;
  }

  /** Telegram's bar above the feed: the latest pinned message; a click scrolls to it. */
  function renderPinnedBar() {
    const pinned = lastPinned();
    $('pinned-bar').hidden = pinned === null;
    $('pinned-bar').dataset.messageId = pinned ? String(pinned.message_id) : '';
    $('pinned-bar-text').textContent = pinned ? previewText(pinned) : '';
  }

  function scrollToPinned() {
    const id = $('pinned-bar').dataset.messageId;
    if (id) scrollToMessage(id);
  }

  function previewText(message) {
    const text = message.text || message.caption || '';
    if (text) return text.split('\n')[0];
    if (message.photo) return 'Фотография';
    if (message.document) return 'Файл';
    return 'Сообщение';
  }

  function messageRow(message, chat) {
    if (message.service) return serviceRow(message);
    const outgoing = isOutgoing(message, chat);
    const row = el('div', 'msg-row ' + (outgoing ? 'out' : 'in'));
    row.dataset.messageId = String(message.message_id);
    const showSender = chat && (chat.type === 'group' || chat.type === 'supergroup') && !outgoing;
    if (showSender) row.appendChild(avatar(senderName(message), (message.from || {}).id, 'avatar small'));
    const column = el('div', 'msg-column');
    column.appendChild(bubble(message, chat, showSender));
    const keyboard = inlineKeyboard(message);
    if (keyboard) column.appendChild(keyboard);
    row.appendChild(column);
    return row;
  }

  function bubble(message, chat, showSender) {
    const isPost = Boolean(chat && chat.type === 'channel');
    const node = el('div', 'bubble' + (isPost ? ' post' : ''));
    if (message.deleted) node.classList.add('deleted');
    if (isPost) node.appendChild(el('div', 'post-author', chatTitle(chat)));
    else if (showSender) node.appendChild(el('div', 'sender', senderName(message)));
    if (message.deleted) node.appendChild(el('div', 'mark-deleted', '🗑 Сообщение удалено'));
    if (message.forward_origin) node.appendChild(forwardLine(message.forward_origin));
    if (message.reply_to_message_id) node.appendChild(replyQuote(message.reply_to_message_id));
    if (message.photo) node.appendChild(photo(message));
    if (message.document) node.appendChild(documentChip(message.document));
    const text = el('div', 'text');
    text.appendChild(messageText(message));
    if (text.textContent.trim() !== '') node.appendChild(text);
    node.appendChild(messageMeta(message));
    return node;
  }

  /** Media URLs: the sandbox's own /sandbox/files/… or an http(s) address, nothing else. */
  function safeMediaUrl(url) {
    const value = String(url || '');
    return /^\/(?!\/)/.test(value) || /^https?:\/\//i.test(value) ? value : null;
  }

  /** A photo the sandbox holds is shown; one given by URL was never fetched (the sandbox,
   * like a test, has no network): a placeholder names its address instead of a broken image. */
  function photo(message) {
    const url = safeMediaUrl(message.photo.url);
    if (!url || !url.startsWith('/')) return photoPlaceholder(message.photo.source_url || message.photo.url);
    const img = document.createElement('img');
    img.className = 'photo';
    img.alt = message.caption ? previewText(message) : 'Фотография';
    img.addEventListener('error', () => img.replaceWith(photoPlaceholder(null)), { once: true });
    img.src = url;
    return img;
  }

  /** A picture outline (an SVG: emoji fonts are not everywhere). */
  function pictureIcon() {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'photo-placeholder-icon');
    svg.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M4 5h16v14H4z M4 16l5-5 4 4 3-3 4 4 M15.5 9.5a1.5 1.5 0 1 0 0.01 0');
    svg.appendChild(path);
    return svg;
  }

  function photoPlaceholder(address) {
    const box = el('div', 'photo-placeholder');
    box.appendChild(pictureIcon());
    const info = el('span', 'photo-placeholder-info');
    const label = address ? 'Фото по ссылке — песочница его не загружает' : 'Фото не загрузилось';
    info.appendChild(el('span', 'photo-placeholder-label', label));
    const link = address && /^https?:\/\//i.test(String(address)) ? el('a', 'photo-placeholder-url', address) : null;
    if (link) {
      link.href = String(address);
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      info.appendChild(link);
    } else if (address) {
      info.appendChild(el('span', 'photo-placeholder-url', address));
    }
    box.appendChild(info);
    return box;
  }

  function forwardLine(origin) {
    const source = (origin.chat && origin.chat.title)
      || (origin.sender_chat && origin.sender_chat.title)
      || (origin.sender_user && origin.sender_user.first_name)
      || origin.sender_user_name
      || 'неизвестного отправителя';
    return el('div', 'forward-line', 'Переслано из «' + source + '»');
  }

  function replyQuote(messageId) {
    const target = state.messages.find((m) => m.message_id === messageId);
    const quote = el('div', 'reply-quote');
    quote.appendChild(el('div', 'reply-quote-author', target ? senderName(target) : 'Сообщение'));
    quote.appendChild(el('div', 'reply-quote-text', target ? previewText(target) : 'удалено'));
    quote.addEventListener('click', () => scrollToMessage(messageId));
    return quote;
  }

  function scrollToMessage(messageId) {
    const selector = '.msg-row[data-message-id="' + CSS.escape(String(messageId)) + '"]';
    const row = document.querySelector(selector);
    if (row) row.scrollIntoView({ behavior: 'smooth', block: 'center' });
  }

  function serviceRow(message) {
    const row = el('div', 'msg-row service');
    row.dataset.messageId = String(message.message_id);
    row.appendChild(el('div', 'service-text', serviceText(message.service)));
    return row;
  }

  function serviceText(service) {
    if (service.migrate_to_chat_id) return 'Группа перенесена в супергруппу';
    if (service.migrate_from_chat_id) return 'Супергруппа создана из группы';
    if (service.new_chat_members) return 'В чат вступили новые участники';
    if (service.left_chat_member) return 'Участник покинул чат';
    if (service.pinned_message) return 'Сообщение закреплено';
    if (service.new_chat_title) return 'Новое название: «' + service.new_chat_title + '»';
    return 'Служебное сообщение';
  }

  function documentChip(doc) {
    const url = safeMediaUrl(doc.url);
    const chip = el(url ? 'a' : 'div', 'document-chip');
    if (url) {
      chip.href = url;
      chip.target = '_blank';
      chip.rel = 'noopener noreferrer';
    }
    chip.appendChild(el('span', 'document-icon', '📄'));
    const info = el('span', 'document-info');
    info.appendChild(el('span', 'document-name', doc.file_name || 'Файл'));
    if (doc.file_size) info.appendChild(el('span', 'document-size', fileSize(doc.file_size)));
    chip.appendChild(info);
    return chip;
  }

  function fileSize(bytes) {
    if (bytes < 1024) return bytes + ' Б';
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1).replace('.', ',') + ' КБ';
    return (bytes / 1024 / 1024).toFixed(1).replace('.', ',') + ' МБ';
  }

  function messageMeta(message) {
    const meta = el('div', 'meta');
    if (message.pinned) meta.appendChild(mark('mark-pinned', '📌 закреплено', 'Сообщение закреплено'));
    if (message.disable_notification) meta.appendChild(mark('mark-silent', '🔕 без звука', 'Отправлено без звука'));
    if (message.edited) meta.appendChild(mark('mark-edited', 'изменено', editTitle(message)));
    meta.appendChild(el('span', 'time', formatTime(message.date)));
    return meta;
  }

  function editTitle(message) {
    const history = Array.isArray(message.edit_history) ? message.edit_history : [];
    if (history.length === 0) return 'Сообщение изменено';
    return 'Сообщение изменено. Было:\n' + history.map((text) => '— ' + text).join('\n');
  }

  function mark(className, text, title) {
    const node = el('span', 'mark ' + className, text);
    node.title = title;
    return node;
  }

  function inlineKeyboard(message) {
    const rows = message.reply_markup && message.reply_markup.inline_keyboard;
    if (!Array.isArray(rows) || rows.length === 0) return null;
    const keyboard = el('div', 'inline-keyboard');
    for (const row of rows) {
      const line = el('div', 'kb-row');
      for (const button of row) line.appendChild(keyboardButton(message, button));
      keyboard.appendChild(line);
    }
    return keyboard;
  }

  function keyboardButton(message, button) {
    if (button.url && SAFE_URL.test(button.url)) {
      const link = el('a', 'kb-button kb-url', button.text);
      link.href = button.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      return link;
    }
    const node = el('button', 'kb-button', button.text);
    node.type = 'button';
    if (button.callback_data === undefined) {
      node.disabled = true;
      return node;
    }
    node.dataset.callbackData = button.callback_data;
    node.addEventListener('click', () => pressButton(message, button));
    return node;
  }

  // ---------------------------------------------------------------- polling

  async function refreshChats() {
    const chats = await api('GET', '/chats');
    const signature = JSON.stringify(chats);
    if (signature === state.chatsSignature) return;
    state.chats = Array.isArray(chats) ? chats : [];
    state.chatsSignature = signature;
    renderChatList();
    renderChatHeader();
    renderUserPicker();
    renderComposerTarget();
  }

  async function refreshMessages(forceScroll) {
    if (state.chatId === null) return;
    const chatId = state.chatId;
    const messages = await api('GET', '/chats/' + encodeURIComponent(chatId) + '/messages');
    if (String(chatId) !== String(state.chatId)) return; // the user switched chats meanwhile
    const signature = JSON.stringify(messages);
    if (signature === state.messagesSignature && !forceScroll) return;
    state.messages = Array.isArray(messages) ? messages : [];
    state.messagesSignature = signature;
    renderMessages(forceScroll);
    announceCallbackAnswers(state.messages);
  }

  async function refreshAll() {
    await refreshChats();
    if (state.chatId === null) pickInitialChat();
    await refreshMessages(false);
  }

  function pickInitialChat() {
    const fromHash = /^#chat=(.+)$/.exec(location.hash);
    const wanted = fromHash ? findChat(decodeURIComponent(fromHash[1])) : null;
    const chat = wanted || state.chats.find((c) => c.type === 'channel') || state.chats[0];
    if (chat) selectChat(chat.id);
  }

  // Aborted when the page goes away, so no long-poll lingers on the server after it.
  const leaving = new AbortController();

  /** Wait for a change: long-poll /sandbox/events when the server has it, else sleep ~1 s. */
  async function waitForChange() {
    if (!state.eventsAvailable) return sleep(POLL_MS);
    const query = '?since=' + encodeURIComponent(state.eventsSince) + '&timeout=' + EVENTS_WAIT_S;
    const response = await fetch(API + '/events' + query, { signal: leaving.signal });
    if (response.status === 404 || response.status === 405) {
      state.eventsAvailable = false;
      return sleep(POLL_MS);
    }
    if (!response.ok) throw new Error('events: HTTP ' + response.status);
    const payload = await readJson(response);
    const last = payload && Number(payload.last);
    if (!Number.isFinite(last)) throw new Error('events: no "last" in the answer');
    // A restarted sandbox counts from zero again: follow it down as well as up.
    state.eventsSince = last;
    return undefined;
  }

  function reportPollError(error) {
    setStatus(false);
    console.warn('sandbox poll failed', error);
  }

  async function pollForever() {
    for (;;) {
      try {
        await refreshAll();
        setStatus(true);
        await waitForChange();
      } catch (error) {
        reportPollError(error);
        await sleep(POLL_MS * 2);
      }
    }
  }

  /** What attach.js needs to send a file as the picked user, where typed text would go. */
  window.sandboxView = {
    api,
    toast,
    sender: () => state.userId,
    target: composerTargetChatId,
    async sent(chatId) {
      if (String(chatId) !== String(state.chatId)) selectChat(chatId);
      await refreshAll().catch(reportPollError);
    },
  };

  function start() {
    $('composer-form').addEventListener('submit', sendMessage);
    $('new-user-form').addEventListener('submit', createUser);
    $('pinned-bar').addEventListener('click', scrollToPinned);
    $('user-picker').addEventListener('change', (event) => {
      if (event.target.value !== '') selectUser(Number(event.target.value));
    });
    window.addEventListener('pagehide', () => leaving.abort());
    renderUserPicker();
    renderComposerTarget();
    pollForever();
  }

  document.addEventListener('DOMContentLoaded', start);
})();
