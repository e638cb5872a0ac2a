"""Texts for the subscribers audience (readers in a private chat with the bot)."""

from __future__ import annotations

from bot.i18n import Catalog

CATALOG: Catalog = {
    # --- /start and /help -------------------------------------------------------------
    "sub.start": {
        "ru": (
            "Здравствуйте! Я «Вестник» — присылаю новости тех рубрик, которые вы выберете.\n\n"
            "Отметьте рубрики ниже — новые статьи будут приходить сразу после публикации. "
            "Дайджест, тихие часы и язык — в /settings, все команды — в /help."
        ),
        "en": (
            "Hello! I am Vestnik — I send you the news of the rubrics you choose.\n\n"
            "Tick the rubrics below — new articles will arrive as soon as they are published. "
            "Digest, quiet hours and language are in /settings, every command is in /help."
        ),
    },
    "sub.help": {
        "ru": (
            "<b>Что я умею</b>\n"
            "/start — приветствие и выбор рубрик\n"
            "/rubrics — рубрики: нажмите, чтобы подписаться или отписаться\n"
            "/subscribe <i>рубрика</i> — подписаться, например /subscribe Политика\n"
            "/unsubscribe <i>рубрика</i> — отписаться, /unsubscribe все — от всех рубрик\n"
            "/latest [<i>рубрика</i>] [<i>N</i>] — последние новости, например /latest Спорт 5\n"
            "/article <i>номер</i> — статья целиком\n"
            "/search <i>слова</i> — поиск по статьям в любой форме слова\n"
            "/digest <i>ЧЧ:ММ</i> — ежедневный дайджест в это время, /digest off — выключить\n"
            "/settings — язык, мгновенные новости или только дайджест, тихие часы\n"
            "/timezone <i>Регион/Город</i> — часовой пояс, например /timezone Europe/Moscow\n"
            "/stop — отписаться от всего и удалить ваши данные\n"
            "/help — эта справка"
        ),
        "en": (
            "<b>What I can do</b>\n"
            "/start — welcome and rubric choice\n"
            "/rubrics — rubrics: tap to subscribe or unsubscribe\n"
            "/subscribe <i>rubric</i> — subscribe, e.g. /subscribe Politics\n"
            "/unsubscribe <i>rubric</i> — unsubscribe, /unsubscribe all — from every rubric\n"
            "/latest [<i>rubric</i>] [<i>N</i>] — the latest news, e.g. /latest Sport 5\n"
            "/article <i>number</i> — the whole article\n"
            "/search <i>words</i> — search articles by words in any form\n"
            "/digest <i>HH:MM</i> — a daily digest at that time, /digest off — turn it off\n"
            "/settings — language, instant news or digest only, quiet hours\n"
            "/timezone <i>Area/City</i> — your time zone, e.g. /timezone Europe/Moscow\n"
            "/stop — unsubscribe from everything and delete your data\n"
            "/help — this help"
        ),
    },
    # --- commands menu (setMyCommands) ----------------------------------------------------
    "sub.cmd.start": {"ru": "Начало и выбор рубрик", "en": "Welcome and rubric choice"},
    "sub.cmd.help": {"ru": "Все команды", "en": "Every command"},
    "sub.cmd.rubrics": {"ru": "Мои рубрики", "en": "My rubrics"},
    "sub.cmd.subscribe": {"ru": "Подписаться на рубрику", "en": "Subscribe to a rubric"},
    "sub.cmd.unsubscribe": {"ru": "Отписаться от рубрики", "en": "Unsubscribe from a rubric"},
    "sub.cmd.latest": {"ru": "Последние новости", "en": "Latest news"},
    "sub.cmd.article": {"ru": "Статья целиком", "en": "The whole article"},
    "sub.cmd.search": {"ru": "Поиск по статьям", "en": "Search articles"},
    "sub.cmd.digest": {"ru": "Ежедневный дайджест", "en": "Daily digest"},
    "sub.cmd.settings": {"ru": "Настройки", "en": "Settings"},
    "sub.cmd.timezone": {"ru": "Часовой пояс", "en": "Time zone"},
    "sub.cmd.stop": {"ru": "Отписаться от всего", "en": "Unsubscribe from everything"},
    # --- rubrics --------------------------------------------------------------------------
    "sub.count": {
        "ru": {
            "one": "{n} подписка",
            "few": "{n} подписки",
            "many": "{n} подписок",
            "other": "{n} подписки",
        },
        "en": {"one": "{n} subscription", "other": "{n} subscriptions"},
    },
    "sub.rubrics.title": {
        "ru": "Рубрики — нажмите, чтобы подписаться или отписаться. Сейчас у вас {count}.",
        "en": "Rubrics — tap to subscribe or unsubscribe. You now have {count}.",
    },
    "sub.rubrics.none": {
        "ru": "Рубрик пока нет — загляните чуть позже.",
        "en": "There are no rubrics yet — please look in a bit later.",
    },
    "sub.subscribe.usage": {
        "ru": "Напишите рубрику после команды — например, /subscribe Политика. Или выберите ниже:",
        "en": "Put a rubric after the command — e.g. /subscribe Politics. Or pick one below:",
    },
    "sub.subscribed": {
        "ru": "Готово — вы подписаны на рубрику «{rubric}». Всего у вас {count}.",
        "en": "Done — you are subscribed to “{rubric}”. You now have {count}.",
    },
    "sub.already": {
        "ru": "Вы уже подписаны на рубрику «{rubric}».",
        "en": "You are already subscribed to “{rubric}”.",
    },
    "sub.unsubscribed": {
        "ru": {
            "one": "Вы отписались от рубрики «{rubric}». Осталась {n} подписка.",
            "few": "Вы отписались от рубрики «{rubric}». Остались {n} подписки.",
            "many": "Вы отписались от рубрики «{rubric}». Осталось {n} подписок.",
            "other": "Вы отписались от рубрики «{rubric}». Осталось {n} подписки.",
        },
        "en": {
            "one": "You unsubscribed from “{rubric}”. {n} subscription left.",
            "other": "You unsubscribed from “{rubric}”. {n} subscriptions left.",
        },
    },
    "sub.unsubscribed.last": {
        "ru": "Вы отписались от рубрики «{rubric}». Других подписок у вас нет — выбрать: /rubrics.",
        "en": "You unsubscribed from “{rubric}”. You have no other subscriptions — /rubrics.",
    },
    "sub.not_subscribed": {
        "ru": "Вы и так не подписаны на рубрику «{rubric}».",
        "en": "You are not subscribed to “{rubric}” anyway.",
    },
    "sub.unsubscribed_all": {
        "ru": {
            "one": "Вы отписались от всех рубрик — снята {n} подписка.",
            "few": "Вы отписались от всех рубрик — сняты {n} подписки.",
            "many": "Вы отписались от всех рубрик — снято {n} подписок.",
            "other": "Вы отписались от всех рубрик — снято {n} подписки.",
        },
        "en": {
            "one": "You unsubscribed from everything — {n} subscription removed.",
            "other": "You unsubscribed from everything — {n} subscriptions removed.",
        },
    },
    "sub.unsubscribe.usage": {
        "ru": "Напишите рубрику или «все» — например, /unsubscribe Политика или /unsubscribe все.",
        "en": "Put a rubric or “all” after the command — /unsubscribe Politics, /unsubscribe all.",
    },
    "sub.nothing_to_unsubscribe": {
        "ru": "У вас нет подписок — отписываться не от чего.",
        "en": "You have no subscriptions — there is nothing to unsubscribe from.",
    },
    "sub.unknown_rubric": {
        "ru": "Рубрики «{query}» нет.",
        "en": "There is no rubric “{query}”.",
    },
    "sub.did_you_mean": {
        "ru": "Возможно, вы имели в виду {options}?",
        "en": "Did you mean {options}?",
    },
    "sub.or": {"ru": " или ", "en": " or "},
    "sub.quote": {"ru": "«{text}»", "en": "“{text}”"},
    "sub.available": {
        "ru": "Есть такие рубрики: {names}.",
        "en": "The rubrics are: {names}.",
    },
    "sub.toggle.on": {
        "ru": "Вы подписаны на рубрику «{rubric}»",
        "en": "Subscribed to “{rubric}”",
    },
    "sub.toggle.off": {
        "ru": "Вы отписались от рубрики «{rubric}»",
        "en": "Unsubscribed from “{rubric}”",
    },
    # Rubric names in each language, by slug: English readers see and may type these.
    # A rubric with no entry here is shown and matched by its own (newsroom) name only.
    "sub.rubric.politika": {"ru": "Политика", "en": "Politics"},
    "sub.rubric.ekonomika": {"ru": "Экономика", "en": "Economy"},
    "sub.rubric.obshchestvo": {"ru": "Общество", "en": "Society"},
    "sub.rubric.v-mire": {"ru": "В мире", "en": "World"},
    "sub.rubric.proisshestviya": {"ru": "Происшествия", "en": "Incidents"},
    "sub.rubric.sport": {"ru": "Спорт", "en": "Sport"},
    "sub.rubric.kultura": {"ru": "Культура", "en": "Culture"},
    "sub.rubric.tekhnologii": {"ru": "Технологии", "en": "Technology"},
    "sub.rubric_gone": {
        "ru": "Такой рубрики больше нет — вот актуальный список.",
        "en": "That rubric no longer exists — here is the current list.",
    },
    # --- /latest and /article -----------------------------------------------------------
    "sub.latest.title.rubric": {
        "ru": "<b>Последние новости — {rubric}</b>",
        "en": "<b>Latest news — {rubric}</b>",
    },
    "sub.latest.title.mine": {
        "ru": "<b>Последние новости ваших рубрик</b>",
        "en": "<b>Latest news of your rubrics</b>",
    },
    "sub.latest.title.all": {
        "ru": "<b>Последние новости</b>",
        "en": "<b>Latest news</b>",
    },
    "sub.latest.no_subs": {
        "ru": "Вы пока ни на что не подписаны — показываю все рубрики. Выбрать свои — /rubrics.",
        "en": "You have no subscriptions yet — showing every rubric. Choose yours in /rubrics.",
    },
    "sub.latest.item": {
        "ru": "{num}. {headline} <i>— {rubric}, {when}</i>",
        "en": "{num}. {headline} <i>— {rubric}, {when}</i>",
    },
    "sub.latest.hint": {
        "ru": "Нажмите на заголовок — пришлю статью целиком.",
        "en": "Tap a headline to get the whole article.",
    },
    "sub.latest.empty": {
        "ru": "Здесь пока нет статей.",
        "en": "There are no articles here yet.",
    },
    "sub.latest.page_end": {
        "ru": "Дальше статей нет.",
        "en": "There are no more articles.",
    },
    "sub.latest.range": {
        "ru": (
            "Сколько статей показать? Укажите число от 1 до {max} — например, /latest Политика 5."
        ),
        "en": "How many articles? Give a number from 1 to {max} — e.g. /latest Politics 5.",
    },
    "sub.latest.too_far": {
        "ru": "Так далеко назад я не листаю — откройте /latest заново.",
        "en": "I don't page that far back — please open /latest again.",
    },
    "sub.article.usage": {
        "ru": "Укажите номер статьи — например, /article 42. Номера видны в /latest.",
        "en": "Give the article number — e.g. /article 42. Numbers are shown in /latest.",
    },
    "sub.article.not_found": {
        "ru": "Статья «{id}» не найдена — возможно, её удалили.",
        "en": "Article “{id}” was not found — it may have been removed.",
    },
    "sub.today": {"ru": "сегодня, {time}", "en": "today, {time}"},
    "sub.no_date": {"ru": "без даты", "en": "no date"},
    # --- /search ----------------------------------------------------------------------
    "sub.search.usage": {
        "ru": "Напишите, что искать, — например, /search Токаев.",
        "en": "Tell me what to look for — e.g. /search Tokayev.",
    },
    "sub.search.found": {
        "ru": {
            "one": "По запросу «{query}» найдена {n} статья:",
            "few": "По запросу «{query}» найдено {n} статьи:",
            "many": "По запросу «{query}» найдено {n} статей:",
            "other": "По запросу «{query}» найдено {n} статьи:",
        },
        "en": {
            "one": "{n} article found for “{query}”:",
            "other": "{n} articles found for “{query}”:",
        },
    },
    "sub.search.nothing": {
        "ru": "По запросу «{query}» ничего не нашлось — попробуйте другие слова.",
        "en": "Nothing found for “{query}” — try other words.",
    },
    "sub.search.more": {
        "ru": "Показаны самые новые — уточните запрос, чтобы сузить поиск.",
        "en": "Showing the newest — refine the query to narrow the search.",
    },
    # --- /digest ----------------------------------------------------------------------
    "sub.digest.on": {
        "ru": "Дайджест приходит каждый день в {time} ({tz}). Выключить — /digest off.",
        "en": "The digest arrives every day at {time} ({tz}). Turn it off with /digest off.",
    },
    "sub.digest.off_status": {
        "ru": "Дайджест выключен. Включить — например, /digest 09:00.",
        "en": "The digest is off. Turn it on with e.g. /digest 09:00.",
    },
    "sub.digest.set": {
        "ru": "Готово — дайджест будет приходить каждый день в {time} ({tz}). Ближайший — {next}.",
        "en": "Done — the digest will arrive every day at {time} ({tz}). The next one — {next}.",
    },
    "sub.digest.off": {
        "ru": "Дайджест выключен.",
        "en": "The digest is off.",
    },
    "sub.digest.pushes_back": {
        "ru": "Новости снова будут приходить сразу после публикации.",
        "en": "News will again arrive as soon as it is published.",
    },
    "sub.digest.bad": {
        "ru": "Не понял время «{value}». Напишите, например, /digest 08:30 или /digest off.",
        "en": "I could not read the time “{value}”. Write e.g. /digest 08:30 or /digest off.",
    },
    "sub.digest.title": {
        "ru": "<b>Дайджест за {day}</b> — {count}",
        "en": "<b>Digest for {day}</b> — {count}",
    },
    "sub.digest.item": {
        "ru": "• {headline} <i>— {rubric}, {time}</i> /article_{id}",
        "en": "• {headline} <i>— {rubric}, {time}</i> /article_{id}",
    },
    "sub.digest.more": {
        "ru": {
            "one": "…и ещё {n} статья — /latest",
            "few": "…и ещё {n} статьи — /latest",
            "many": "…и ещё {n} статей — /latest",
            "other": "…и ещё {n} статьи — /latest",
        },
        "en": {
            "one": "…and {n} more article — /latest",
            "other": "…and {n} more articles — /latest",
        },
    },
    # --- /settings --------------------------------------------------------------------
    "sub.settings": {
        "ru": (
            "<b>Настройки</b>\n"
            "Язык — {language}\n"
            "Новости — {mode}\n"
            "Дайджест — {digest}\n"
            "Тихие часы — {quiet}\n"
            "Часовой пояс — {tz}\n\n"
            "В тихие часы новости не пропадают: они придут, когда тихие часы закончатся. "
            "Время дайджеста — /digest ЧЧ:ММ."
        ),
        "en": (
            "<b>Settings</b>\n"
            "Language — {language}\n"
            "News — {mode}\n"
            "Digest — {digest}\n"
            "Quiet hours — {quiet}\n"
            "Time zone — {tz}\n\n"
            "News is never lost in quiet hours: it arrives when they end. "
            "Digest time — /digest HH:MM."
        ),
    },
    "sub.settings.lang": {"ru": "русский", "en": "English"},
    "sub.settings.mode.instant": {
        "ru": "сразу после публикации",
        "en": "as soon as published",
    },
    "sub.settings.mode.digest": {"ru": "только дайджест", "en": "digest only"},
    "sub.settings.digest_at": {"ru": "в {time}", "en": "at {time}"},
    "sub.settings.digest_none": {"ru": "выключен", "en": "off"},
    "sub.settings.quiet_none": {"ru": "выключены", "en": "off"},
    "sub.settings.saved": {"ru": "Сохранено", "en": "Saved"},
    "sub.btn.read_full": {"ru": "Читать полностью", "en": "Read in full"},
    "sub.btn.source": {"ru": "Источник", "en": "Source"},
    "sub.btn.lang.ru": {"ru": "Русский", "en": "Русский"},
    "sub.btn.lang.en": {"ru": "English", "en": "English"},
    "sub.btn.instant": {"ru": "Сразу", "en": "Instantly"},
    "sub.btn.digest_only": {"ru": "Только дайджест", "en": "Digest only"},
    "sub.btn.quiet_off": {"ru": "Без тихих часов", "en": "No quiet hours"},
    "sub.btn.timezone": {"ru": "Часовой пояс", "en": "Time zone"},
    "sub.btn.back": {"ru": "◀ Назад к настройкам", "en": "◀ Back to settings"},
    # --- time zone --------------------------------------------------------------------
    "sub.tz.choose": {
        "ru": "Выберите часовой пояс — по нему приходит дайджест и отсчитываются тихие часы. "
        "Другого нет в списке? Напишите, например, /timezone Asia/Tbilisi.",
        "en": "Choose your time zone — the digest and quiet hours follow it. "
        "Not in the list? Write e.g. /timezone Asia/Tbilisi.",
    },
    "sub.tz.label": {"ru": "{city} ({offset})", "en": "{city} ({offset})"},
    "sub.tz.asia.almaty": {"ru": "Алматы", "en": "Almaty"},
    "sub.tz.asia.qostanay": {"ru": "Костанай", "en": "Kostanay"},
    "sub.tz.asia.aqtobe": {"ru": "Актобе", "en": "Aktobe"},
    "sub.tz.asia.tashkent": {"ru": "Ташкент", "en": "Tashkent"},
    "sub.tz.asia.bishkek": {"ru": "Бишкек", "en": "Bishkek"},
    "sub.tz.europe.moscow": {"ru": "Москва", "en": "Moscow"},
    "sub.tz.asia.yekaterinburg": {"ru": "Екатеринбург", "en": "Yekaterinburg"},
    "sub.tz.asia.novosibirsk": {"ru": "Новосибирск", "en": "Novosibirsk"},
    "sub.tz.europe.berlin": {"ru": "Берлин", "en": "Berlin"},
    "sub.tz.utc": {"ru": "Всемирное время", "en": "Universal time"},
    "sub.tz.saved": {"ru": "Часовой пояс — {tz}", "en": "Time zone — {tz}"},
    "sub.tz.refused": {
        "ru": "Такого часового пояса в списке нет — выберите другой, ничего не изменилось.",
        "en": "That time zone is not in the list — please choose another; nothing changed.",
    },
    "sub.tz.current": {
        "ru": "Ваш часовой пояс — {tz} ({offset}), сейчас там {time}.",
        "en": "Your time zone is {tz} ({offset}); it is {time} there now.",
    },
    "sub.tz.set": {
        "ru": "Готово — ваш часовой пояс теперь {tz} ({offset}), сейчас там {time}.",
        "en": "Done — your time zone is now {tz} ({offset}); it is {time} there now.",
    },
    "sub.tz.digest": {
        "ru": "Дайджест приходит в {time} по этому времени, ближайший — {next}.",
        "en": "The digest arrives at {time} in this zone, the next one — {next}.",
    },
    "sub.tz.usage": {
        "ru": "Сменить — /timezone Регион/Город, например /timezone Europe/Moscow, "
        "или кнопкой «Часовой пояс» в /settings.",
        "en": "To change it — /timezone Area/City, e.g. /timezone Europe/Moscow, "
        "or the “Time zone” button in /settings.",
    },
    "sub.tz.unknown": {
        "ru": "Не знаю часового пояса «{query}». Напишите его как Регион/Город — например, "
        "/timezone Europe/Moscow или /timezone Asia/Almaty — или выберите в /settings.",
        "en": "I don't know the time zone “{query}”. Write it as Area/City — e.g. "
        "/timezone Europe/Moscow or /timezone Asia/Almaty — or choose one in /settings.",
    },
    "sub.btn.prev": {"ru": "◀ Новее", "en": "◀ Newer"},
    "sub.btn.next": {"ru": "Ранее ▶", "en": "Older ▶"},
    # --- /stop ------------------------------------------------------------------------
    "sub.stop.confirm": {
        "ru": (
            "Отписаться от всего и удалить ваши данные — рубрики, настройки, дайджест? "
            "Отменить это будет нельзя."
        ),
        "en": (
            "Unsubscribe from everything and delete your data — rubrics, settings, digest? "
            "This cannot be undone."
        ),
    },
    "sub.btn.stop_yes": {"ru": "Да, удалить", "en": "Yes, delete"},
    "sub.btn.stop_no": {"ru": "Нет, оставить", "en": "No, keep it"},
    "sub.stop.done": {
        "ru": "Готово — подписки и данные удалены. Захотите вернуться — /start.",
        "en": "Done — your subscriptions and data are deleted. To come back — /start.",
    },
    "sub.stop.expired": {
        "ru": (
            "Это подтверждение уже недействительно — чтобы удалить данные, отправьте /stop ещё раз."
        ),
        "en": "This confirmation is no longer valid — to delete your data, send /stop again.",
    },
    "sub.stop.cancelled": {
        "ru": "Хорошо, всё остаётся как было.",
        "en": "All right, everything stays as it was.",
    },
    # --- misunderstandings ------------------------------------------------------------
    "sub.burst": {
        "ru": "Вы пишете быстрее, чем я успеваю отвечать. Подождите немного: на последние "
        "сообщения я не отвечу — повторите нужное чуть позже.",
        "en": "You are writing faster than I can answer. Please wait a moment: I won't "
        "answer your latest messages — repeat what you need a little later.",
    },
    "sub.fallback": {
        "ru": "Не понимаю это сообщение. Вот что я умею — /help.",
        "en": "I don't understand this message. Here is what I can do — /help.",
    },
    "sub.fallback.command": {
        "ru": "Команды {command} нет. Список команд — /help.",
        "en": "There is no command {command}. The list of commands — /help.",
    },
    "sub.stale_button": {
        "ru": "Эта кнопка устарела — откройте меню заново (/help).",
        "en": "This button is out of date — please open the menu again (/help).",
    },
}
