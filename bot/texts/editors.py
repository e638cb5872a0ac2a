"""Texts for editors and channel admins: the desk, admin commands, progress reports.

Russian first (the newsroom's language), English second. Plurals are CLDR categories chosen
by `bot.i18n` with `n=`; quotes are «», dashes are em dashes. Desk messages are sent as
plain text, so nothing here needs HTML escaping.
"""

from __future__ import annotations

from bot.i18n import Catalog, Entry


def _ru(one: str, few: str, many: str) -> dict[str, str]:
    return {"one": one, "few": few, "many": many, "other": few}


def _en(one: str, other: str) -> dict[str, str]:
    return {"one": one, "other": other}


def _t(ru: Entry, en: Entry) -> dict[str, Entry]:
    return {"ru": ru, "en": en}


_DESK: Catalog = {
    # channels and roles
    "desk.channel.none": _t(
        "У вас пока нет каналов, где вы можете это сделать. Попросите администратора канала "
        "выдать доступ — командой /grant или ссылкой-приглашением.",
        "You have no channel where you may do this yet. Ask the channel's admin for access — "
        "with /grant or an invite link.",
    ),
    "desk.channel.pick": _t("Какой канал?", "Which channel?"),
    "desk.channel.unknown": _t(
        "Канал «{ref}» не найден. Пришлите @имя канала или его id (например, -1001234567890).",
        "Channel “{ref}” not found. Send the channel's @name or its id (e.g. -1001234567890).",
    ),
    "desk.deny.role": _t(
        "Извините, у вас нет прав на это в канале «{title}». Ничего не изменено.",
        "Sorry, you don't have the rights for this in “{title}”. Nothing was changed.",
    ),
    "desk.deny.role.many": _t(
        "Извините, у вас нет прав на это в каналах {titles}. Ничего не изменено.",
        "Sorry, you don't have the rights for this in {titles}. Nothing was changed.",
    ),
    "desk.deny.unknown_channel": _t(
        "Этот канал бот не знает — ничего не изменено.",
        "The bot doesn't know this channel — nothing was changed.",
    ),
    "desk.deny.unverified": _t(
        "Не удалось проверить права в Telegram — попробуйте позже. Ничего не изменено.",
        "Could not verify your rights with Telegram — please try again later. Nothing was changed.",
    ),
    "desk.deny.toast": _t("Нет прав", "Not allowed"),
    "desk.refusals.slow_down": _t(
        "Слишком много запросов, на которые у вас нет прав. Подождите минуту: до тех пор "
        "я на них не отвечаю.",
        "Too many requests you have no rights for. Wait a minute: until then I won't answer them.",
    ),
    "desk.stale": _t(
        "Эта кнопка устарела. Откройте список заново.",
        "This button is out of date. Please open the list again.",
    ),
    "desk.cancelled": _t("Отменено.", "Cancelled."),
    # invites and help
    "desk.invite.ok": _t(
        "Готово: теперь вы редактор канала «{title}». Начните с /new — или пришлите .txt со "
        "статьёй. Все команды — /desk.",
        "Done: you are now an editor of “{title}”. Start with /new — or send a .txt article. "
        "All commands — /desk.",
    ),
    "desk.invite.invalid": _t(
        "Приглашение недействительно: оно уже использовано или истекло. Попросите "
        "администратора канала прислать новое.",
        "This invite is not valid: it was used already or has expired. Ask the channel's "
        "admin for a new one.",
    ),
    "desk.help.editor": _t(
        "Редакция:\n"
        "/new — новый пост: канал, рубрика, заголовок, лид, фото, подпись, ссылка, предпросмотр\n"
        "/drafts — черновики\n"
        "/queue — очередь канала: опубликовать сейчас, переставить, перенести, отменить\n"
        "/edit <номер> — исправить опубликованную статью во всех каналах\n"
        "/retract <номер> — снять статью отовсюду\n"
        "/cancel — выйти из диалога\n"
        "Файл .txt в формате редакции — сразу в предпросмотр.",
        "Newsroom:\n"
        "/new — a new post: channel, rubric, headline, lead, photo, credit, link, preview\n"
        "/drafts — drafts\n"
        "/queue — a channel's queue: publish now, reorder, reschedule, cancel\n"
        "/edit <id> — correct a published article in every channel\n"
        "/retract <id> — take an article down everywhere\n"
        "/cancel — leave a dialogue\n"
        "A .txt file in the newsroom format goes straight to the preview.",
    ),
    "desk.help.admin": _t(
        "Администрирование:\n"
        "/channels — ваши каналы\n"
        "/slots [09:00 12:00 …] — слоты публикаций\n"
        "/route [рубрики через запятую | все] — какие рубрики публикует канал\n"
        "/pause, /resume — остановить и возобновить публикации\n"
        "/quiet [23:00-07:00 | выкл] — тихие часы\n"
        "/interval [минуты | выкл] — наименьший промежуток между постами\n"
        "/catchup [сразу | распределить | пропустить 6] — что делать с постами после простоя\n"
        "/timezone [Asia/Almaty] — часовой пояс канала (свой — в /settings)\n"
        "/signature [HTML-текст | выкл] — подпись под постами\n"
        "/silent [вкл | выкл] — посты по расписанию без звука\n"
        "/hashtag [конец | начало | выкл] — где хештег рубрики\n"
        "/breaking [метка | выкл | закреплять да/нет] — срочные посты: метка и закрепление\n"
        "/preview [сверху | снизу | выкл] — превью ссылки на источник\n"
        "/stats [день | неделя | месяц] — статистика\n"
        "/editors, /grant @имя, /revoke @имя — редакторы\n"
        "/audit — журнал действий",
        "Administration:\n"
        "/channels — your channels\n"
        "/slots [09:00 12:00 …] — publication slots\n"
        "/route [rubrics, comma-separated | all] — which rubrics the channel publishes\n"
        "/pause, /resume — stop and resume publishing\n"
        "/quiet [23:00-07:00 | off] — quiet hours\n"
        "/interval [minutes | off] — the least gap between posts\n"
        "/catchup [now | spread | skip 6] — what happens to posts after downtime\n"
        "/timezone [Asia/Almaty] — the channel's time zone (your own — in /settings)\n"
        "/signature [HTML text | off] — the signature under posts\n"
        "/silent [on | off] — scheduled posts without sound\n"
        "/hashtag [end | top | off] — where the rubric hashtag goes\n"
        "/breaking [marker | off | pin on/off] — breaking posts: marker and pinning\n"
        "/preview [above | below | off] — the source link's preview\n"
        "/stats [day | week | month] — statistics\n"
        "/editors, /grant @name, /revoke @name — editors\n"
        "/audit — the action log",
    ),
    # composing
    "desk.new.started": _t("Черновик №{id}.", "Draft #{id}."),
    "desk.new.channel": _t("Для какого канала пост?", "Which channel is the post for?"),
    "desk.new.channel_set": _t("Канал: «{title}».", "Channel: “{title}”."),
    "desk.new.rubric": _t("Рубрика:", "Rubric:"),
    "desk.new.headline": _t("Заголовок — одной строкой:", "The headline, in one line:"),
    "desk.new.lead": _t("Лид — первый абзац:", "The lead — the first paragraph:"),
    "desk.new.photo": _t(
        "Фото: пришлите снимок или ссылку на него (https://…) — или нажмите «Без фото».",
        "Photo: send a picture or a link to one (https://…) — or press “No photo”.",
    ),
    "desk.new.credit": _t(
        "Подпись к фото — автор или источник, например: assembly.kz",
        "Photo credit — the author or source, e.g. assembly.kz",
    ),
    "desk.new.source": _t(
        "Ссылка на источник (https://…) — или «Пропустить».",
        "Link to the source (https://…) — or “Skip”.",
    ),
    "desk.new.current": _t("Сейчас: {value}", "Now: {value}"),
    "desk.new.cancelled": _t(
        "Диалог закрыт. Черновик №{id} сохранён — он в /drafts.",
        "Dialogue closed. Draft #{id} is saved — see /drafts.",
    ),
    "desk.btn.back": _t("« Назад", "« Back"),
    "desk.btn.cancel": _t("Отмена", "Cancel"),
    "desk.btn.skip": _t("Пропустить", "Skip"),
    "desk.btn.nophoto": _t("Без фото", "No photo"),
    "desk.draft.gone": _t(
        "Черновик не найден — возможно, он уже отправлен или удалён. Начните заново: /new.",
        "Draft not found — it may have been sent or deleted already. Start again: /new.",
    ),
    "desk.draft.no_headline": _t(
        "В черновике нет заголовка — без него пост не собрать.",
        "The draft has no headline — a post needs one.",
    ),
    "desk.draft.bad_headline": _t(
        "Заголовок должен быть непустым и не длиннее 300 знаков. Пришлите другой.",
        "The headline must be non-empty and at most 300 characters. Send another one.",
    ),
    "desk.draft.bad_lead": _t(
        "Лид слишком длинный — не больше 3000 знаков. Пришлите короче.",
        "The lead is too long — at most 3000 characters. Send a shorter one.",
    ),
    "desk.draft.bad_photo_url": _t(
        "Это не похоже на ссылку на фото. Пришлите снимок или ссылку вида https://…",
        "That doesn't look like a photo link. Send a picture or a link like https://…",
    ),
    "desk.draft.bad_source_url": _t(
        "Это не похоже на ссылку. Пришлите ссылку вида https://… или нажмите «Пропустить».",
        "That doesn't look like a link. Send a link like https://… or press “Skip”.",
    ),
    "desk.draft.no_channel": _t(
        "У черновика не выбран канал — откройте его в /drafts.",
        "The draft has no channel yet — open it in /drafts.",
    ),
    "desk.draft.invalid": _t(
        "Черновик это не принимает. Проверьте текст и пришлите ещё раз.",
        "The draft cannot take this. Check the text and send it again.",
    ),
    "desk.draft.empty_forward": _t(
        "В пересланном сообщении нет текста — из него не сделать черновик.",
        "The forwarded message has no text — it cannot become a draft.",
    ),
    "desk.preview.title": _t(
        "Предпросмотр — так пост выйдет в канале:",
        "Preview — this is how the post will appear in the channel:",
    ),
    "desk.preview.failed": _t(
        "Telegram не принял предпросмотр: {detail}",
        "Telegram refused the preview: {detail}",
    ),
    "desk.submit.now": _t("Опубликовать сейчас", "Publish now"),
    "desk.submit.next_slot": _t("В ближайший слот", "Next slot"),
    "desk.submit.at": _t("Ко времени…", "At a time…"),
    "desk.submit.breaking": _t("Срочно", "Breaking"),
    "desk.sent.now": _t(
        "Статья №{id} отправлена в канал «{title}».", "Article #{id} is being sent to “{title}”."
    ),
    "desk.sent.next_slot": _t(
        "Статья №{id} в очереди канала «{title}» — выйдет {when}.",
        "Article #{id} is queued for “{title}” — due {when}.",
    ),
    "desk.sent.at": _t(
        "Статья №{id} выйдет в канале «{title}» {when}.",
        "Article #{id} will appear in “{title}” on {when}.",
    ),
    "desk.sent.apart": _t(
        "Такая статья уже выходит в канале, где у вас нет прав, — её не тронули. "
        "Ваша сохранена отдельно, под №{id}.",
        "This article already appears in a channel where you have no rights — it was left "
        "alone. Yours is stored separately as #{id}.",
    ),
    "desk.sent.updated": _t(
        "Статья №{id} уже выходила в канале «{title}» — её текст обновлён, вышедшие копии "
        "исправляются.",
        "Article #{id} has already appeared in “{title}” — its text is updated and the "
        "published copies are being corrected.",
    ),
    "desk.sent.breaking": _t(
        "Срочно: статья №{id} отправлена в канал «{title}» со звуком и закреплена.",
        "Breaking: article #{id} is being sent to “{title}” with sound, pinned.",
    ),
    "desk.sent.breaking_unpinned": _t(
        "Срочно: статья №{id} отправлена в канал «{title}» со звуком.",
        "Breaking: article #{id} is being sent to “{title}” with sound.",
    ),
    # times
    "desk.when.ask": _t(
        "Когда опубликовать? Например: «завтра в 9:00», «через 2 часа», «25 ноября 14:30» "
        "или {iso}.",
        "When should it go out? E.g. “завтра в 9:00”, “через 2 часа”, “25 ноября 14:30” or {iso}.",
    ),
    "desk.when.ask_resched": _t(
        "Новое время для поста №{id}? Например: «завтра в 9:00», «через 30 минут» или {iso}.",
        "New time for post #{id}? E.g. “завтра в 9:00”, “через 30 минут” or {iso}.",
    ),
    "desk.when.unknown": _t(
        "Не понял время. Напишите, например: «{example}».",
        "I couldn't understand the time. Write, for example: “{example}”.",
    ),
    "desk.when.past": _t(
        "Это время уже прошло. Укажите будущее, например: «{example}».",
        "That time has passed. Give a future one, e.g. “{example}”.",
    ),
    "desk.when.invalid_date": _t(
        "Такой даты нет в календаре. Укажите другую, например: «{example}».",
        "There is no such date. Give another one, e.g. “{example}”.",
    ),
    "desk.when.no_time": _t(
        "Укажите и время, например: «{example}».",
        "Please add the time too, e.g. “{example}”.",
    ),
    # uploads
    "desk.upload.not_txt": _t(
        "Пришлите статью файлом .txt в формате редакции.",
        "Send the article as a .txt file in the newsroom format.",
    ),
    "desk.upload.too_big": _t(
        "Файл слишком большой — не больше 512 КБ.", "The file is too big — at most 512 KB."
    ),
    "desk.upload.bad": _t("Файл не разобран. {reason}", "Could not read the file. {reason}"),
    "desk.upload.ok": _t(
        "Файл разобран: черновик №{id} — «{headline}».",
        "File read: draft #{id} — “{headline}”.",
    ),
    "desk.forward.ok": _t(
        "Пересланный пост сохранён как черновик №{id}.",
        "The forwarded post is saved as draft #{id}.",
    ),
    # drafts
    "desk.drafts.empty": _t("Черновиков нет. Новый пост — /new.", "No drafts. A new post — /new."),
    "desk.drafts.title": _t(
        _ru("{n} черновик:", "{n} черновика:", "{n} черновиков:"),
        _en("{n} draft:", "{n} drafts:"),
    ),
    "desk.drafts.line": _t("№{id} — «{headline}»", "#{id} — “{headline}”"),
    "desk.drafts.untitled": _t("без заголовка", "untitled"),
    "desk.drafts.open": _t("Открыть №{id}", "Open #{id}"),
    "desk.drafts.delete": _t("Удалить №{id}", "Delete #{id}"),
    "desk.drafts.deleted": _t("Черновик №{id} удалён.", "Draft #{id} deleted."),
    # queue
    "desk.queue.empty": _t(
        "В очереди канала «{title}» ничего нет.", "Nothing is waiting for “{title}”."
    ),
    "desk.queue.title": _t(
        _ru(
            "В очереди канала «{title}» {n} пост:",
            "В очереди канала «{title}» {n} поста:",
            "В очереди канала «{title}» {n} постов:",
        ),
        _en("{n} post waiting for “{title}”:", "{n} posts waiting for “{title}”:"),
    ),
    "desk.queue.more": _t(
        _ru("…и ещё {n} пост.", "…и ещё {n} поста.", "…и ещё {n} постов."),
        _en("…and {n} more post.", "…and {n} more posts."),
    ),
    "desk.queue.line": _t(
        "№{id} — «{headline}» — {when} ({state})", "#{id} — “{headline}” — {when} ({state})"
    ),
    "desk.queue.state.queued": _t("в очереди", "queued"),
    "desk.queue.state.scheduled": _t("ко времени", "timed"),
    "desk.queue.state.dispatching": _t("отправляется", "sending"),
    "desk.queue.state.dispatched": _t("отправлен", "sent"),
    "desk.queue.state.cancelled": _t("отменён", "cancelled"),
    "desk.queue.state.skipped": _t("пропущен", "skipped"),
    "desk.queue.btn.now": _t("Сейчас", "Now"),
    "desk.queue.btn.up": _t("↑ Выше", "↑ Up"),
    "desk.queue.btn.down": _t("↓ Ниже", "↓ Down"),
    "desk.queue.btn.resched": _t("Перенести", "Reschedule"),
    "desk.queue.btn.edit": _t("Править", "Edit"),
    "desk.queue.btn.cancel": _t("Отменить", "Cancel"),
    "desk.queue.done.now": _t("Пост №{id} отправлен.", "Post #{id} is being sent."),
    "desk.queue.done.up": _t("Пост №{id} поднят выше.", "Post #{id} moved up."),
    "desk.queue.done.down": _t("Пост №{id} опущен ниже.", "Post #{id} moved down."),
    "desk.queue.done.cancel": _t(
        "Пост №{id} снят с очереди.", "Post #{id} removed from the queue."
    ),
    "desk.queue.done.resched": _t("Пост №{id} выйдет {when}.", "Post #{id} will go out on {when}."),
    # edit and retract
    "desk.article.unknown": _t("Статьи №{id} нет.", "There is no article #{id}."),
    "desk.article.nowhere": _t(
        "Статья №{id} ещё нигде не опубликована и не стоит в очереди.",
        "Article #{id} is not published or queued anywhere.",
    ),
    "desk.edit.usage": _t("Укажите номер статьи: /edit 42", "Give the article's number: /edit 42"),
    "desk.edit.headline": _t(
        "Новый заголовок (точка «.» — оставить как есть).\nСейчас: {current}",
        "New headline (a dot “.” keeps it).\nNow: {current}",
    ),
    "desk.edit.lead": _t(
        "Новый лид (точка «.» — оставить как есть).\nСейчас: {current}",
        "New lead (a dot “.” keeps it).\nNow: {current}",
    ),
    "desk.edit.unchanged": _t(
        "Текст не изменился — править нечего.", "The text did not change — nothing to edit."
    ),
    "desk.edit.done.none": _t(
        "Статья №{id} исправлена. В каналах она ещё не выходила — править опубликованное не нужно.",
        "Article #{id} corrected. It has not appeared in any channel yet — there is no "
        "published copy to edit.",
    ),
    "desk.edit.done": _t(
        _ru(
            "Статья №{id} исправлена — правка уходит в {n} канал.",
            "Статья №{id} исправлена — правка уходит в {n} канала.",
            "Статья №{id} исправлена — правка уходит в {n} каналов.",
        ),
        _en(
            "Article #{id} corrected — the edit goes to {n} channel.",
            "Article #{id} corrected — the edit goes to {n} channels.",
        ),
    ),
    "desk.retract.usage": _t(
        "Укажите номер статьи: /retract 42", "Give the article's number: /retract 42"
    ),
    "desk.retract.confirm.queued_only": _t(
        "Снять статью №{id}? Она ещё нигде не опубликована — её уберут из очередей.",
        "Retract article #{id}? It is not published anywhere yet — it will be unqueued.",
    ),
    "desk.retract.confirm": _t(
        _ru(
            "Снять статью №{id}? Она будет удалена из {n} канала и убрана из очередей.",
            "Снять статью №{id}? Она будет удалена из {n} каналов и убрана из очередей.",
            "Снять статью №{id}? Она будет удалена из {n} каналов и убрана из очередей.",
        ),
        _en(
            "Retract article #{id}? It will be deleted from {n} channel and unqueued.",
            "Retract article #{id}? It will be deleted from {n} channels and unqueued.",
        ),
    ),
    "desk.confirm.retract": _t("Да, снять", "Yes, retract"),
    "desk.confirm.no": _t("Нет", "No"),
    "desk.retract.kept": _t("Статья №{id} остаётся.", "Article #{id} stays."),
    "desk.retract.unqueued": _t(
        _ru(
            "Из очередей убрана {n} копия.",
            "Из очередей убраны {n} копии.",
            "Из очередей убрано {n} копий.",
        ),
        _en("{n} queued copy removed.", "{n} queued copies removed."),
    ),
    # publishing errors
    "desk.pub.unknown_article": _t("Такой статьи нет.", "There is no such article."),
    "desk.pub.unknown_channel": _t(
        "Такого канала бот не знает.", "The bot doesn't know this channel."
    ),
    "desk.pub.unknown_post": _t(
        "Такого поста в очереди нет — возможно, он уже вышел.",
        "There is no such queued post — it may have gone out already.",
    ),
    "desk.pub.unknown_rubric": _t(
        "Такой рубрики нет. Рубрики перечисляются через запятую, например: Политика, Экономика.",
        "No such rubric. List rubrics separated by commas, e.g. Политика, Экономика.",
    ),
    "desk.pub.channel_inactive": _t(
        "Канал сейчас не принимает публикации: бот не администратор в нём или публикации на "
        "паузе (/resume).",
        "The channel isn't accepting posts now: the bot is not its admin or publishing is "
        "paused (/resume).",
    ),
    "desk.pub.already_published": _t(
        "Эта статья уже опубликована в канале — второй раз она не выйдет.",
        "This article is already published in the channel — it won't go out twice.",
    ),
    "desk.pub.in_flight": _t(
        "Эта статья как раз отправляется в канал. Если доставка не удастся, её можно будет "
        "поставить снова.",
        "This article is being sent to the channel right now. If the delivery fails, you can "
        "queue it again.",
    ),
    "desk.pub.not_pending": _t(
        "Этот пост уже не ждёт публикации.", "This post is no longer waiting."
    ),
    "desk.pub.no_channels": _t(
        "Ни один канал не публикует эту рубрику.", "No channel publishes this rubric."
    ),
    "desk.pub.bad_time": _t(
        "Время не подходит: нужно будущее время, например 09:00 или «завтра в 9:00».",
        "That time won't do: give a future time, e.g. 09:00 or “завтра в 9:00”.",
    ),
    "desk.pub.bad_slot": _t(
        "Слоты не приняты. Слот — время суток, когда канал публикует следующий пост из "
        "очереди; слотов может быть несколько. Напишите время как ЧЧ:ММ через пробел, "
        "например: /slots 09:00 13:00 18:30. Ничего не изменено.",
        "The slots were not accepted. A slot is a time of day when the channel publishes the "
        "next post from its queue; there may be several. Write times as HH:MM separated by "
        "spaces, e.g. /slots 09:00 13:00 18:30. Nothing was changed.",
    ),
    "desk.pub.bad_quiet": _t(
        "Тихие часы не приняты. Напишите промежуток как ЧЧ:ММ-ЧЧ:ММ, например "
        "/quiet 23:00-07:00, или /quiet выкл, чтобы их убрать. Ничего не изменено.",
        "The quiet hours were not accepted. Write a range as HH:MM-HH:MM, e.g. "
        "/quiet 23:00-07:00 — or /quiet off to remove them. Nothing was changed.",
    ),
    "desk.pub.conflict": _t(
        "Очередь как раз изменилась — попробуйте ещё раз.",
        "The queue changed just now — please try again.",
    ),
    "desk.pub.other": _t("Не получилось: {detail}", "That didn't work: {detail}"),
}

_ADMIN: Catalog = {
    "admin.channels.title.one": _t("Ваш канал:", "Your channel:"),
    "admin.channels.title": _t("Ваши каналы ({n}):", "Your channels ({n}):"),
    "admin.channels.line": _t(
        "«{title}» ({id}) — {status}\nОчередь: {queue}; ближайший слот: {next}\nРубрики: {routing}",
        "“{title}” ({id}) — {status}\nQueue: {queue}; next slot: {next}\nRubrics: {routing}",
    ),
    "admin.posts": _t(_ru("{n} пост", "{n} поста", "{n} постов"), _en("{n} post", "{n} posts")),
    "admin.status.active": _t("публикует", "publishing"),
    "admin.status.paused": _t("на паузе", "paused"),
    "admin.status.inactive": _t(
        "неактивен (бот не администратор)", "inactive (the bot is not an admin)"
    ),
    "admin.routing.all": _t("все", "all"),
    "admin.slots.show": _t("Слоты канала «{title}»: {slots}.", "Slots of “{title}”: {slots}."),
    "admin.slots.none": _t("нет (только интервал)", "none (interval only)"),
    "admin.slots.set": _t(
        "Готово: слоты канала «{title}» — {slots}.", "Done: the slots of “{title}” are {slots}."
    ),
    "admin.route.show": _t(
        "Канал «{title}» публикует рубрики: {rubrics}.", "“{title}” publishes rubrics: {rubrics}."
    ),
    "admin.route.set": _t(
        "Готово: канал «{title}» публикует рубрики: {rubrics}.",
        "Done: “{title}” publishes rubrics: {rubrics}.",
    ),
    "admin.pause.done": _t(
        "Публикации в канале «{title}» на паузе. Посты копятся в очереди; продолжить — /resume.",
        "Publishing to “{title}” is paused. Posts keep queueing; continue with /resume.",
    ),
    "admin.resume.done": _t(
        "Публикации в канале «{title}» возобновлены.", "Publishing to “{title}” is resumed."
    ),
    "admin.quiet.show": _t(
        "Тихие часы канала «{title}»: {hours}.", "Quiet hours of “{title}”: {hours}."
    ),
    "admin.quiet.none": _t("нет", "none"),
    "admin.quiet.set": _t(
        "Готово: тихие часы канала «{title}» — {hours}. Посты по слотам в это время ждут их "
        "окончания и не теряются; посты ко времени выходят в назначенный час без звука, "
        "молнии — сразу.",
        "Done: quiet hours of “{title}” are {hours}. Slot posts then wait until they end, never "
        "lost; posts timed for that hour go out on time without sound, breaking news at once.",
    ),
    "admin.quiet.cleared": _t(
        "Тихие часы канала «{title}» отменены.", "Quiet hours of “{title}” are cleared."
    ),
    "admin.minutes": _t(
        _ru("{n} минута", "{n} минуты", "{n} минут"), _en("{n} minute", "{n} minutes")
    ),
    "admin.seconds": _t(
        _ru("{n} секунда", "{n} секунды", "{n} секунд"), _en("{n} second", "{n} seconds")
    ),
    # after «старше»: the genitive (старше 1 часа, 3 часов, 21 часа)
    "admin.hours.older": _t(
        _ru("{n} часа", "{n} часов", "{n} часов"), _en("{n} hour", "{n} hours")
    ),
    "admin.interval.show": _t(
        "Наименьший промежуток между постами в канале «{title}»: {value}.",
        "The least gap between posts in “{title}”: {value}.",
    ),
    "admin.interval.none": _t("нет", "none"),
    "admin.interval.set": _t(
        "Готово: наименьший промежуток между постами в канале «{title}» — {value}.",
        "Done: the least gap between posts in “{title}” is {value}.",
    ),
    "admin.interval.usage": _t(
        "Не понял промежуток. Пришлите число минут от 0 до {max} — например, /interval 30 — "
        "или /interval выкл, чтобы убрать его. Ничего не изменено.",
        "I didn't understand the gap. Send a number of minutes from 0 to {max} — e.g. "
        "/interval 30 — or /interval off to remove it. Nothing was changed.",
    ),
    "admin.catchup.publish_now": _t(
        "сразу опубликовать пропущенное (по посту за каждый пропущенный слот)",
        "publish what was missed at once (one post per missed slot)",
    ),
    "admin.catchup.spread": _t(
        "распределить: пропущенные слоты не догоняются, очередь идёт в следующие слоты",
        "spread: missed slots are not made up, the queue goes into the next slots",
    ),
    "admin.catchup.skip_older": _t(
        "пропускать посты старше {hours}, остальные — в следующие слоты",
        "skip posts older than {hours}, the rest go into the next slots",
    ),
    "admin.catchup.show": _t(
        "Канал «{title}» после простоя: {policy}.", "After downtime, “{title}”: {policy}."
    ),
    "admin.catchup.set": _t(
        "Готово: канал «{title}» после простоя — {policy}.",
        "Done: after downtime, “{title}”: {policy}.",
    ),
    "admin.catchup.usage": _t(
        "Не понял. Варианты: /catchup сразу, /catchup распределить или /catchup пропустить 6 — "
        "пропускать посты старше 6 часов. Ничего не изменено.",
        "I didn't understand. Options: /catchup now, /catchup spread, or /catchup skip 6 — "
        "skip posts older than 6 hours. Nothing was changed.",
    ),
    "admin.timezone.show": _t(
        "Часовой пояс канала «{title}»: {zone}.", "The time zone of “{title}”: {zone}."
    ),
    "admin.timezone.set": _t(
        "Готово: часовой пояс канала «{title}» — {zone}. Слоты и тихие часы считаются по нему.",
        "Done: the time zone of “{title}” is {zone}. Slots and quiet hours follow it.",
    ),
    "admin.timezone.unknown": _t(
        "Часовой пояс «{zone}» не найден. Пришлите его в виде Регион/Город, например: "
        "/timezone Asia/Almaty или /timezone Europe/Moscow. Ничего не изменено.",
        "Time zone “{zone}” not found. Send it as Area/City, e.g. /timezone Asia/Almaty or "
        "/timezone Europe/Moscow. Nothing was changed.",
    ),
    "admin.signature.show": _t(
        "Подпись под постами канала «{title}»:\n{signature}",
        "The signature under posts of “{title}”:\n{signature}",
    ),
    "admin.signature.none": _t(
        "У постов канала «{title}» нет подписи. Добавить — /signature и текст "
        "(можно HTML Telegram).",
        "Posts of “{title}” have no signature. Add one — /signature and the text "
        "(Telegram HTML allowed).",
    ),
    "admin.signature.set": _t(
        "Готово: подпись под постами канала «{title}»:\n{signature}",
        "Done: the signature under posts of “{title}”:\n{signature}",
    ),
    "admin.signature.cleared": _t(
        "Подпись под постами канала «{title}» убрана.",
        "The signature under posts of “{title}” is removed.",
    ),
    "admin.signature.bad": _t(
        "Подпись не принята: {reason}. Ничего не изменено. Можно использовать теги Telegram "
        "(b, i, u, s, a href, code, tg-spoiler); символы <, > и & вне тегов пишите как "
        "&lt;, &gt; и &amp;.",
        "The signature was not accepted: {reason}. Nothing was changed. Telegram tags are "
        "allowed (b, i, u, s, a href, code, tg-spoiler); write <, > and & outside tags as "
        "&lt;, &gt; and &amp;.",
    ),
    "admin.signature.bad.unescaped": _t(
        "символ «{what}» вне тега не экранирован",
        "the character “{what}” outside a tag is not escaped",
    ),
    "admin.signature.bad.unclosed": _t("тег <{what}> не закрыт", "the tag <{what}> is not closed"),
    "admin.signature.bad.tag": _t(
        "тег <{what}> Telegram не поддерживает", "Telegram does not support the tag <{what}>"
    ),
    "admin.signature.bad.order": _t(
        "тег </{what}> закрыт не на своём месте", "the tag </{what}> is closed out of order"
    ),
    "admin.signature.bad.link": _t(
        "у ссылки <{what}> адрес должен начинаться с https://, http://, tg:// или mailto",
        "the link <{what}> must point to an https://, http://, tg:// or mailto address",
    ),
    "admin.signature.bad.entity": _t(
        "«{what}» Telegram покажет как есть, а не символом. Из HTML-сущностей он понимает "
        "только &lt; &gt; &amp; &quot; и коды символов вроде &#8212; (с маленькой x: &#x2014;)",
        "Telegram would show “{what}” as typed, not as a character. It reads only &lt; &gt; "
        "&amp; &quot; and character codes such as &#8212; (lower-case x: &#x2014;)",
    ),
    "admin.signature.bad.malformed": _t(
        "тег «{what}» записан неверно: имя тега — строчными буквами, значения атрибутов — "
        "в двойных кавычках, у закрывающего тега атрибутов нет",
        "the tag “{what}” is malformed: tag names in lower case, attribute values in double "
        "quotes, no attributes on a closing tag",
    ),
    "admin.signature.bad.attribute": _t(
        "атрибут «{what}» здесь не поддерживается или повторён",
        "the attribute “{what}” is not supported here or repeated",
    ),
    "admin.signature.bad.needs": _t(
        "у тега <{what}> не хватает нужного атрибута или его значение неверное",
        "the tag <{what}> lacks a required attribute or its value is wrong",
    ),
    "admin.signature.bad.nesting": _t(
        "тег <{what}> нельзя вкладывать сюда (внутри <code> и <pre> другие теги не работают, "
        "ссылки и цитаты не вкладываются друг в друга)",
        "the tag <{what}> cannot be nested here (no other tags inside <code> and <pre>, no "
        "links or quotes inside each other)",
    ),
    "admin.signature.bad.length": _t(
        "длина подписи — {what}, а можно не больше 200 знаков (считается текст без тегов, "
        "как его покажет Telegram)",
        "the signature has {what} characters, the limit is 200 — counting the text without "
        "tags, as Telegram shows it",
    ),
    "admin.signature.bad.other": _t(
        "Telegram не разберёт эту разметку", "Telegram would not parse this markup"
    ),
    "admin.silent.show.on": _t(
        "Посты канала «{title}» по расписанию уходят без звука.",
        "Scheduled posts of “{title}” go out without sound.",
    ),
    "admin.silent.show.off": _t(
        "Посты канала «{title}» по расписанию уходят со звуком.",
        "Scheduled posts of “{title}” go out with sound.",
    ),
    "admin.silent.set.on": _t(
        "Готово: посты канала «{title}» по расписанию будут уходить без звука.",
        "Done: scheduled posts of “{title}” will go out without sound.",
    ),
    "admin.silent.set.off": _t(
        "Готово: посты канала «{title}» по расписанию будут уходить со звуком.",
        "Done: scheduled posts of “{title}” will go out with sound.",
    ),
    "admin.silent.usage": _t(
        "Не понял. Пришлите /silent вкл — без звука — или /silent выкл — со звуком. "
        "Ничего не изменено.",
        "I didn't understand. Send /silent on — without sound — or /silent off — with sound. "
        "Nothing was changed.",
    ),
    "admin.editors.none": _t(
        "У канала «{title}» пока нет редакторов. Добавить — /grant @имя или /grant без аргументов "
        "(ссылка-приглашение).",
        "“{title}” has no editors yet. Add one — /grant @name, or /grant alone for an invite link.",
    ),
    "admin.editors.title": _t(
        _ru(
            "У канала «{title}» {n} редактор:",
            "У канала «{title}» {n} редактора:",
            "У канала «{title}» {n} редакторов:",
        ),
        _en("“{title}” has {n} editor:", "“{title}” has {n} editors:"),
    ),
    "admin.user.unknown": _t(
        "Не знаю пользователя {who}. Пусть он сначала напишет боту — или укажите его числовой "
        "id, или отправьте ему приглашение: /grant без аргументов.",
        "I don't know the user {who}. Let them message the bot first — or give their numeric "
        "id, or send an invite: /grant without arguments.",
    ),
    "admin.grant.done": _t(
        "Готово: {who} — редактор канала «{title}».", "Done: {who} is an editor of “{title}”."
    ),
    "admin.grant.already": _t(
        "{who} уже редактор канала «{title}».", "{who} is already an editor of “{title}”."
    ),
    "admin.invite": _t(
        "Приглашение в редакторы канала «{title}» — перешлите его тому, кого зовёте:\n{link}\n\n"
        "Сработает один раз и действует {hours} ч. Код: {code}",
        "An editor invite for “{title}” — forward it to the person you invite:\n{link}\n\n"
        "It works once and is valid for {hours} h. Code: {code}",
    ),
    "admin.revoke.usage": _t(
        "Кого убрать? /revoke @имя или /revoke id", "Whom to remove? /revoke @name or /revoke id"
    ),
    "admin.revoke.done": _t(
        "Готово: {who} больше не редактор канала «{title}».",
        "Done: {who} is no longer an editor of “{title}”.",
    ),
    "admin.revoke.not_editor": _t(
        "{who} и так не редактор канала «{title}».", "{who} is not an editor of “{title}”."
    ),
    "admin.audit.empty": _t("Журнал {scope}: пока пусто.", "The log of {scope} is empty so far."),
    "admin.audit.title.one": _t(
        "Журнал {scope}, последнее действие:", "The log of {scope}, the last action:"
    ),
    "admin.audit.title": _t(
        "Журнал {scope}, последние действия ({n}):", "The log of {scope}, the last actions ({n}):"
    ),
    "admin.audit.scope.all": _t("всех каналов", "all channels"),
    "admin.audit.scope.channel": _t("канала «{title}»", "“{title}”"),
    "admin.audit.no_actions": _t(
        "Журнал {scope}: действий пока нет.", "The log of {scope}: no actions yet."
    ),
    "admin.audit.refusals": _t("Отказы, последние:", "Refusals, the latest:"),
    "admin.audit.times": _t(_ru("{n} раз", "{n} раза", "{n} раз"), _en("{n} time", "{n} times")),
    "admin.audit.flooded": _t(
        _ru(
            "{n} раз, дальше до конца часа не записывались",
            "{n} раза, дальше до конца часа не записывались",
            "{n} раз, дальше до конца часа не записывались",
        ),
        _en("{n} time, more not recorded this hour", "{n} times, more not recorded this hour"),
    ),
    "admin.audit.pick.all": _t("Все каналы", "All channels"),
    "admin.audit.line": _t(
        "{when} · {who} · {what} · {where} · {verdict}",
        "{when} · {who} · {what} · {where} · {verdict}",
    ),
    "admin.audit.allowed": _t("выполнено", "done"),
    "admin.audit.denied": _t("отказано", "denied"),
    "admin.audit.failed": _t("не выполнено", "not done"),
    "admin.audit.kept_apart": _t(
        "сохранено отдельно: №{new} (№{old} не тронута), {reason}",
        "stored separately: #{new} (#{old} left alone), {reason}",
    ),
    "admin.audit.reason.bad_time": _t("неверное время", "bad time"),
    "admin.audit.reason.bad_slot": _t("неверный слот", "bad slot"),
    "admin.audit.reason.bad_quiet": _t("неверные тихие часы", "bad quiet hours"),
    "admin.audit.reason.bad_value": _t("неверное значение", "bad value"),
    "admin.audit.reason.bad_mode": _t("неверный режим", "bad mode"),
    "admin.audit.reason.unknown_rubric": _t("нет такой рубрики", "no such rubric"),
    "admin.audit.reason.unknown_zone": _t("нет такого часового пояса", "no such time zone"),
    "admin.audit.reason.unknown_user": _t("неизвестный пользователь", "unknown user"),
    "admin.audit.reason.unknown_article": _t("нет такой статьи", "no such article"),
    "admin.audit.reason.unknown_post": _t("нет такого поста", "no such post"),
    "admin.audit.reason.unknown_channel": _t("канал неизвестен", "unknown channel"),
    "admin.audit.reason.channel_inactive": _t("канал отключён", "channel inactive"),
    "admin.audit.reason.already_published": _t("уже опубликована", "already published"),
    "admin.audit.reason.already_editor": _t("уже редактор", "already an editor"),
    "admin.audit.reason.not_editor": _t("не редактор", "not an editor"),
    "admin.audit.reason.no_user": _t("не указано, кого", "nobody named"),
    "admin.audit.reason.unchanged": _t("текст не изменился", "text unchanged"),
    "admin.audit.reason.in_flight": _t("уже отправляется", "being sent"),
    "admin.audit.reason.not_pending": _t("уже не в очереди", "no longer queued"),
    "admin.audit.reason.conflict": _t("одновременное изменение", "concurrent change"),
    "admin.audit.reason.error": _t("сбой", "error"),
    "admin.audit.reason.no_role": _t("нет прав", "no rights"),
    "admin.audit.reason.unverified": _t(
        "права не удалось проверить в Telegram", "rights could not be checked in Telegram"
    ),
    "admin.audit.reason.not_member": _t("не из редакции", "not in the newsroom"),
    "admin.audit.reason.not_your_draft": _t("чужой черновик", "someone else's draft"),
    "admin.audit.reason.invalid_invite": _t("неверное приглашение", "invalid invite"),
    "admin.audit.reason.flood": _t(
        "слишком много отказов — до конца часа они не записываются",
        "too many refusals — no more are recorded this hour",
    ),
    "admin.stats.usage": _t(
        "Период: /stats день, /stats неделя или /stats месяц.",
        "Period: /stats day, /stats week or /stats month.",
    ),
    "admin.period.day": _t("за сегодня", "today"),
    "admin.period.week": _t("за неделю", "this week"),
    "admin.period.month": _t("за месяц", "this month"),
    "admin.stats.title": _t(
        "Статистика канала «{title}» {period}:", "Statistics of “{title}”, {period}:"
    ),
    "admin.stats.published": _t(
        _ru(
            "Опубликован {value} пост",
            "Опубликовано {value} поста",
            "Опубликовано {value} постов",
        ),
        _en("{value} post published", "{value} posts published"),
    ),
    "admin.stats.bot_wide": _t(
        "По всему боту, не только в этом канале:",
        "Across the whole bot, not only this channel:",
    ),
    "admin.stats.pushes": _t(
        "Отправлено уведомлений подписчикам: {value}", "Pushes sent to subscribers: {value}"
    ),
    "admin.stats.queued": _t(
        _ru(
            "В очереди канала — {value} пост",
            "В очереди канала — {value} поста",
            "В очереди канала — {value} постов",
        ),
        _en("{value} post waiting in the queue", "{value} posts waiting in the queue"),
    ),
    "admin.stats.failed": _t(
        "Не доставлено в канал: {value} ({reasons})",
        "Not delivered to the channel: {value} ({reasons})",
    ),
    "admin.stats.no_failures": _t("Сбоев доставки в канал нет.", "No delivery failures."),
    "admin.stats.subscribers": _t(
        "Подписчики рубрик, которые публикует канал:",
        "Subscribers of the rubrics the channel publishes:",
    ),
    "admin.stats.no_subscribers": _t(
        "У рубрик канала пока нет подписчиков.", "The channel's rubrics have no subscribers yet."
    ),
}

_PROGRESS: Catalog = {
    "progress.label.push": _t("Рассылка", "Sending"),
    "progress.label.retract": _t("Снятие", "Retracting"),
    "progress.line": _t("{label}: {done} из {total}", "{label}: {done} of {total}"),
    "progress.rate": _t("{rate} сообщ./с", "{rate} msg/s"),
    "progress.eta": _t("осталось ~{eta}", "~{eta} left"),
    "progress.eta.seconds": _t("{n} с", "{n} s"),
    "progress.eta.minutes": _t("{n} мин", "{n} min"),
    "progress.eta.hours": _t("{h} ч {m} мин", "{h} h {m} min"),
    "progress.done.push": _t(
        "Рассылка завершена: доставлено {sent}.", "Sending finished: {sent} delivered."
    ),
    "progress.done.retract": _t(
        _ru(
            "Снятие завершено: удалена {sent} копия.",
            "Снятие завершено: удалены {sent} копии.",
            "Снятие завершено: удалено {sent} копий.",
        ),
        _en(
            "Retraction finished: {sent} copy deleted.",
            "Retraction finished: {sent} copies deleted.",
        ),
    ),
    "progress.failed": _t(
        _ru(
            "Не доставлено {n} сообщение: {reasons}.",
            "Не доставлено {n} сообщения: {reasons}.",
            "Не доставлено {n} сообщений: {reasons}.",
        ),
        _en("{n} message not delivered: {reasons}.", "{n} messages not delivered: {reasons}."),
    ),
    "progress.pending": _t(
        "Ещё в очереди сообщений: {value} — они уйдут позже.",
        "Still waiting: {value} — they will go later.",
    ),
    # delivery failure reasons (the `reason` of a failed ledger entry)
    "delivery.reason.forbidden": _t("бот заблокирован или без прав", "bot blocked or not allowed"),
    "delivery.reason.network": _t("сеть", "network"),
    "delivery.reason.server_error": _t("сбой Telegram", "Telegram server error"),
    "delivery.reason.retry_after": _t("лимит Telegram", "Telegram rate limit"),
    "delivery.reason.chat_not_found": _t("чат не найден", "chat not found"),
    "delivery.reason.message_not_found": _t("сообщение не найдено", "message not found"),
    "delivery.reason.cannot_delete": _t("нельзя удалить", "cannot be deleted"),
    "delivery.reason.parse_error": _t("ошибка разметки", "formatting error"),
    "delivery.reason.too_long": _t("слишком длинно", "too long"),
    "delivery.reason.bad_request": _t("Telegram отклонил запрос", "request refused by Telegram"),
    "delivery.reason.notfound": _t("не найдено", "not found"),
    "delivery.reason.unauthorized": _t("бот не авторизован", "bot not authorized"),
    "delivery.reason.conflict": _t(
        "конфликт с другим экземпляром бота", "conflict with another bot instance"
    ),
    "delivery.reason.migrated": _t("чат переехал", "chat migrated"),
    "delivery.reason.no_payload": _t("текст поста не найден", "post content missing"),
    "delivery.reason.unknown": _t("неизвестная причина", "unknown reason"),
}

CATALOG: Catalog = {**_DESK, **_ADMIN, **_PROGRESS}
