"""The vocabulary the typography corpus is generated from: names, places, numbers, units.

Each slot is a function of the seeded random generator, so the corpus is reproducible
(`python -m tests.typograf.corpus` writes the same file every time).
"""

from __future__ import annotations

import random
from collections.abc import Callable

Slot = Callable[[random.Random], str]

SURNAMES = (
    "Токаев", "Смаилов", "Бектенов", "Скляр", "Жумангарин", "Нурлыбаев", "Ахметова",
    "Иванов", "Петрова", "Садыкова", "Беляева", "Касымов", "Оспанов", "Сериков", "Ли",
)  # fmt: skip
INITIALS = "АБВГДЕЖЗИКЛМНОПРСТ"
CITIES = (
    "Алматы", "Астана", "Шымкент", "Караганда", "Актобе", "Павлодар", "Костанай", "Атырау",
    "Тараз", "Москва", "Бишкек", "Ташкент", "Семей", "Туркестан", "Кокшетау",
)  # fmt: skip
ORGS = (
    "Казатомпром", "Самрук-Казына", "КазМунайГаз", "Эйр Астана", "Халык Банк", "Казахтелеком",
    "Рога и копыта", "Газпром", "Аэрофлот", "Байтерек", "Казпочта", "Шанырак", "Жасыл Ел",
    "Астана Моторс", "Евразийский банк",
)  # fmt: skip
LEGAL = ("ООО", "ОАО", "ЗАО", "АО", "НИИ")
LEGAL_KZ = ("ТОО", "ПАО", "НАО", "ИП")
EVENTS = (
    "Таза Қазақстан", "Жас Отан", "Бизнес дорожная карта", "Цифровой Казахстан",
    "Ауыл – ел бесігі", "Дорога к школе", "Мир без границ", "Евразия",
)  # fmt: skip
ENGLISH = (
    "The New York Times", "Financial Times", "Bloomberg", "Reuters", "The Economist",
    "Wall Street Journal", "Forbes", "Nature",
)  # fmt: skip
ENGLISH_QUOTES = (
    "We will not give up - ever", "It is a new era for the region", "I am not a crook",
    "Yes, we can", "A deal is a deal", "This is only the beginning...",
)  # fmt: skip
MONTHS_GEN = (
    "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
    "октября", "ноября", "декабря",
)  # fmt: skip
MONTHS_NOM = (
    "январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
    "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
MONTHS_PRE = (
    "январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
    "октябре", "ноябре", "декабре",
)  # fmt: skip
WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота")
ROMAN = ("XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI")
UNITS = ("км", "м", "кг", "т", "л", "га", "см", "мм", "МВт", "кВт")
SQUARE = ("км", "м", "см")
COUNTED = (
    "человек", "жителей", "учеников", "школ", "семей", "предприятий", "километров", "домов",
    "тонн зерна", "рабочих мест", "автобусов", "вагонов",
)  # fmt: skip
MONEY = ("тенге", "долларов", "рублей", "евро")
MULTIPLIERS = ("тыс.", "млн", "млрд", "трлн")
SUBJECTS = (
    "Правительство", "Минфин", "Нацбанк", "Акимат", "Сенат", "Мажилис", "Минздрав",
    "Министерство энергетики", "Комитет статистики", "Пресс-служба акимата", "Фонд",
)  # fmt: skip
VERBS = (
    "сообщил", "заявил", "подтвердил", "опроверг", "уточнил", "объявил", "отметил",
    "напомнил", "добавил", "подчеркнул",
)  # fmt: skip
NOUNS = (
    "новом проекте", "росте цен", "планах на год", "итогах квартала", "реформе", "ремонте дорог",
    "строительстве школ", "запуске программы", "снижении ставки", "переговорах",
)  # fmt: skip
SAYINGS = (
    "Мы готовы к диалогу", "Работа будет продолжена", "Это важный шаг для страны",
    "Все обязательства будут выполнены", "Решение принято единогласно",
    "Ситуация под контролем", "Мы не можем ждать", "Цены не вырастут",
)  # fmt: skip
ABBR_PHRASES = ("т.е.", "т.д.", "т.п.", "т.к.", "т. е.", "т. д.", "и т. п.", "и т.д.")
MENTIONS = ("@akorda_press", "@vestnik_kz", "@minfin_rk", "@tengrinews")
HASHTAGS = ("#выборы2024", "#Алматы", "#новости", "#COP29", "#экономика_РК")
EMAILS = ("press@akorda.kz", "info@gov.kz", "news-desk@vestnik.kz", "a.ivanova@mail.ru")
URLS = (
    "https://www.gov.kz/memleket/entities/mfa?lang=ru", "https://akorda.kz/ru/news-2024",
    "http://stat.gov.kz/official/industry/11/statistic/7", "https://t.me/vestnik_kz/1200",
)  # fmt: skip
DOMAINS = ("akorda.kz", "egov.kz", "inform.kz/ru/news", "kaspi.kz")
CODE = ("`x = 5 - 3`", '`print("тест")`', "`2014-2016`", "`a...b`")
IDENTIFIERS = (
    "рейс KC-901", "самолет Ил-76", "Су-27", "COVID-19", "ГОСТ 7.32-2017", "ИИН 900101300123",
    "артикул A1000-2000", "модель X5-10", "дело № 2-1234/2024", "индекс 050000",
)  # fmt: skip


def pick(options: tuple[str, ...]) -> Slot:
    """A slot that picks one of `options`."""
    return lambda rng: rng.choice(options)


def number(low: int, high: int) -> Slot:
    """A slot with an integer in [low, high]."""
    return lambda rng: str(rng.randint(low, high))


def initial(rng: random.Random) -> str:
    """One capital initial with its full stop."""
    return rng.choice(INITIALS) + "."


def person(rng: random.Random) -> str:
    """Two initials and a surname as reporters type them; now and then the list order
    (`Токаев К. К.`), which news copy rarely uses."""
    first, second, surname = initial(rng), initial(rng), rng.choice(SURNAMES)
    if rng.random() < 0.06:
        return f"{surname} {first} {second}"
    return rng.choice((f"{first} {second} {surname}", f"{first}{second} {surname}"))


def year_range(rng: random.Random) -> tuple[str, str]:
    """Two increasing years."""
    start = rng.randint(1950, 2022)
    return str(start), str(start + rng.randint(1, 6))


def thousands(rng: random.Random) -> str:
    """A number of five to nine digits, as typed: glued or with plain spaces."""
    value = rng.randint(10_000, 999_999_999)
    return f"{value:,}".replace(",", " ") if rng.random() < 0.5 else str(value)


def decimal(rng: random.Random) -> str:
    """A decimal fraction with a point or a comma."""
    sep = rng.choice((".", ","))
    return f"{rng.randint(0, 30)}{sep}{rng.randint(1, 9)}"
