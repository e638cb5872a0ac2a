"""What an editor reads when an uploaded article file cannot be parsed (ru + en).

Keys are `article_format.<code>` for `ArticleFormatError.code`; `article_format.at_line`
prefixes a message with its line number. Merged into the application's texts by
`bot.texts.build_i18n()`.
"""

from __future__ import annotations

from bot.i18n import Catalog

_ALLOWED = "source, photo, published, id"

CATALOG: Catalog = {
    "article_format.at_line": {
        "ru": "Строка {line}: {message}",
        "en": "Line {line}: {message}",
    },
    "article_format.empty": {
        "ru": "Файл пустой — в нём нет текста статьи.",
        "en": "The file is empty — there is no article text in it.",
    },
    "article_format.too_large": {
        "ru": "Файл слишком большой: {size} КБ, а можно не больше {limit} КБ.",
        "en": "The file is too large: {size} KB, the limit is {limit} KB.",
    },
    "article_format.binary": {
        "ru": "Это не текстовый файл. Пришлите статью как обычный текст (.txt, UTF-8).",
        "en": "This is not a text file. Please send the article as plain text (.txt, UTF-8).",
    },
    "article_format.word": {
        "ru": "Похоже, это документ Word или архив. Сохраните статью как «Обычный текст» "
        "(.txt, UTF-8) и пришлите ещё раз.",
        "en": "This looks like a Word document or an archive. Save the article as plain text "
        "(.txt, UTF-8) and send it again.",
    },
    "article_format.pdf": {
        "ru": "Это PDF. Пришлите статью как обычный текст (.txt, UTF-8).",
        "en": "This is a PDF. Please send the article as plain text (.txt, UTF-8).",
    },
    "article_format.encoding": {
        "ru": "файл не в кодировке UTF-8. Сохраните его как «Текст UTF-8» и пришлите ещё раз.",
        "en": "the file is not UTF-8. Save it as “UTF-8 text” and send it again.",
    },
    "article_format.bad_character": {
        "ru": "в тексте недопустимый символ {code_point} (это не буква и не знак). "
        "Наберите это место заново и пришлите текст ещё раз.",
        "en": "the text holds an invalid character {code_point} (not a letter or a sign). "
        "Retype that place and send the text again.",
    },
    "article_format.no_rubric": {
        "ru": "первой строкой должна идти рубрика — короткое слово вроде «Политика», "
        "а здесь «{found}».",
        "en": "the first line must be the rubric — a short word such as “Политика”, "
        "found “{found}”.",
    },
    "article_format.only_rubric": {
        "ru": "в файле только рубрика «{rubric}» — нет ни заголовка, ни текста.",
        "en": "the file holds only the rubric “{rubric}” — no headline and no text.",
    },
    "article_format.no_headline": {
        "ru": "после рубрики должен идти заголовок, а здесь подпись к фото.",
        "en": "the headline must follow the rubric, found a photo credit instead.",
    },
    "article_format.headline_too_long": {
        "ru": "заголовок слишком длинный — {length} знаков, можно не больше {limit}. "
        "Возможно, после заголовка пропущена пустая строка.",
        "en": "the headline is too long — {length} characters, the limit is {limit}. "
        "Perhaps the blank line after it is missing.",
    },
    "article_format.headline_full_stop": {
        "ru": "заголовок кончается точкой — похоже, это лид, а строка с заголовком пропущена. "
        "Добавьте заголовок после рубрики (в заголовке точку не ставят).",
        "en": "the headline ends with a full stop — this looks like the lead, and the headline "
        "line is missing. Add the headline after the rubric (a headline has no full stop).",
    },
    "article_format.fm_unclosed": {
        "ru": "шапка, начатая строкой «---», не закрыта второй строкой «---».",
        "en": "the header opened with “---” is not closed by another “---” line.",
    },
    "article_format.fm_syntax": {
        "ru": "в шапке ожидается строка вида «поле: значение».",
        "en": "the header expects lines of the form “key: value”.",
    },
    "article_format.fm_unknown_key": {
        "ru": "неизвестное поле «{key}» в шапке. Допустимые поля: " + _ALLOWED + ".",
        "en": "unknown header field “{key}”. Allowed fields: " + _ALLOWED + ".",
    },
    "article_format.fm_duplicate_key": {
        "ru": "поле «{key}» указано в шапке дважды.",
        "en": "the header field “{key}” appears twice.",
    },
    "article_format.fm_empty_value": {
        "ru": "у поля «{key}» в шапке нет значения.",
        "en": "the header field “{key}” has no value.",
    },
    "article_format.fm_bad_url": {
        "ru": "в поле «{key}» должна быть ссылка, начинающаяся с http:// или https://.",
        "en": "the field “{key}” must be a link starting with http:// or https://.",
    },
    "article_format.fm_bad_date": {
        "ru": "дата в поле «published» не распознана. Пример: 2026-11-25T09:30:00+05:00.",
        "en": "the date in “published” is not valid. Example: 2026-11-25T09:30:00+05:00.",
    },
    "article_format.fm_naive_date": {
        "ru": "у даты в поле «published» нет часового пояса. Пример: 2026-11-25T09:30:00+05:00.",
        "en": "the date in “published” has no UTC offset. Example: 2026-11-25T09:30:00+05:00.",
    },
    "article_format.fm_bad_id": {
        "ru": "в поле «id» допустимы только латинские буквы, цифры, «-» и «_» "
        "(не больше 64 знаков).",
        "en": "the field “id” may hold only Latin letters, digits, “-” and “_” (64 at most).",
    },
}
