/* Attaching a file in the web view's message box: a .txt (or any document) or a photo.
 *
 * The picked user sends it where typed text would go (the open group, else their private
 * chat with the bot), through the control API, as Telegram would deliver it: a photo as a
 * photo, anything else as a document. Text typed in the box becomes the caption. This is how
 * the desk's «Файл .txt» route and photo uploads are tried without Telegram. */
'use strict';

(function () {
  // What a bot may download from Telegram (getFile): larger files are refused here already.
  const MAX_BYTES = 20 * 1024 * 1024;

  const $ = (id) => document.getElementById(id);

  /** The file's bytes as base64 (what the control API takes). */
  function base64Of(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
      reader.onerror = () => reject(reader.error || new Error('не удалось прочитать файл'));
      reader.readAsDataURL(file);
    });
  }

  function isPhoto(file) {
    return /^image\/(jpeg|png|gif|webp)$/i.test(file.type || '');
  }

  /** The message body: a photo, or a document with its name and type; the caption if typed. */
  async function bodyFor(file, fromId, caption) {
    const content = await base64Of(file);
    const body = { from_id: Number(fromId) };
    if (isPhoto(file)) {
      body.photo = content;
    } else {
      body.document = {
        file_name: file.name || 'file.txt',
        mime_type: file.type || 'text/plain',
        content_base64: content,
      };
    }
    if (caption) body.caption = caption;
    return body;
  }

  async function sendFile(file) {
    const view = window.sandboxView;
    const fromId = view.sender();
    if (fromId === null || fromId === undefined) {
      view.toast('Сначала создайте пользователя', 'error');
      return;
    }
    if (file.size > MAX_BYTES) {
      view.toast('Файл больше 20 МБ: бот не сможет его скачать', 'error');
      return;
    }
    const input = $('composer-input');
    const chatId = view.target();
    try {
      const body = await bodyFor(file, fromId, input.value.trim());
      await view.api('POST', '/chats/' + encodeURIComponent(chatId) + '/messages', body);
    } catch (error) {
      view.toast('Не удалось отправить файл: ' + error.message, 'error');
      return;
    }
    input.value = '';
    view.toast(isPhoto(file) ? 'Фото отправлено' : 'Файл «' + file.name + '» отправлен');
    await view.sent(chatId);
  }

  async function picked(event) {
    const chooser = event.target;
    const file = chooser.files && chooser.files[0];
    if (!file) return;
    const button = $('composer-attach');
    button.classList.add('busy');
    try {
      await sendFile(file);
    } finally {
      chooser.value = ''; // the same file may be picked again
      button.classList.remove('busy');
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('composer-file').addEventListener('change', picked);
  });
})();
