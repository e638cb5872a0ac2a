"""The typography corpus: news sentences with the hard cases, for the Typograf oracle test.

`python -m tests.typograf.corpus` rewrites `tests/data/typography-corpus.jsonl`: one JSON
object per line, `{"kind": ..., "text": ...}`. The sentences are the test articles' own
sentences plus sentences generated from `corpus_templates` with a fixed seed, so the file is
reproducible and reviewable; the test reads the committed file.
"""

from __future__ import annotations

import json
import random
import re
import string
import sys
from collections.abc import Iterator
from pathlib import Path

from tests.typograf import corpus_words as w
from tests.typograf.corpus_templates import TEMPLATES

DATA = Path(__file__).resolve().parent.parent / "data"
CORPUS = DATA / "typography-corpus.jsonl"
ARTICLES = (
    "politika-tokayev-almaty-hub.txt",
    "ekonomika-front-matter.txt",
    "v-mire-crlf-no-credit.txt",
)
PER_TEMPLATE = 16
SEED = 20261207
_CREDIT_LINE = re.compile(r"(?:Источник фото|Фото):")
_SENTENCE_END = re.compile(r"(?<=[.!?…»\"])\s+(?=[«\"А-ЯЁA-Z])")

SLOTS: dict[str, w.Slot] = {
    "org": w.pick(w.ORGS),
    "org2": w.pick(w.ORGS),
    "event": w.pick(w.EVENTS),
    "english": w.pick(w.ENGLISH),
    "english_quote": w.pick(w.ENGLISH_QUOTES),
    "legal": w.pick(w.LEGAL),
    "legal_kz": w.pick(w.LEGAL_KZ),
    "city": w.pick(w.CITIES),
    "city2": w.pick(w.CITIES),
    "subject": w.pick(w.SUBJECTS),
    "subject_lower": lambda rng: rng.choice(w.SUBJECTS).lower(),
    "subject_gen": w.pick(("Минфина", "Нацбанка", "акимата", "Минздрава", "Бюро статистики")),
    "subject_gen_city": w.pick(("Алматы", "Астаны", "Шымкента", "Караганды", "Актобе")),
    "verb": w.pick(w.VERBS),
    "verb_past_pl": w.pick(("построили", "открыли", "приняли", "зарегистрировали")),
    "noun": w.pick(w.NOUNS),
    "noun_acc": w.pick(("ремонт дорог", "строительство школ", "субсидии", "газификацию")),
    "noun_dat": w.pick(("цифровизации", "экологии", "молодежной политике", "туризму")),
    "saying": w.pick(w.SAYINGS),
    "saying_lower": lambda rng: _lower_first(rng.choice(w.SAYINGS)),
    "person": w.person,
    "surname": w.pick(w.SURNAMES),
    "init": w.initial,
    "init2": w.initial,
    "count": w.number(2, 950),
    "count2": w.number(2, 99),
    "small": w.number(2, 9),
    "small2": w.number(2, 9),
    "temp": w.number(2, 40),
    "counted": w.pick(w.COUNTED),
    "counted2": w.pick(w.COUNTED),
    "unit": w.pick(w.UNITS),
    "mult": w.pick(w.MULTIPLIERS),
    "money": w.pick(w.MONEY),
    "year": w.number(1991, 2026),
    "month": w.pick(w.MONTHS_GEN),
    "day": w.number(1, 28),
    "abbr": w.pick(w.ABBR_PHRASES),
    "decimal": w.decimal,
    "thousands": w.thousands,
    "iso": lambda rng: f"{rng.randint(2000, 2026)}-{rng.randint(1, 12):02}-{rng.randint(1, 28):02}",
    "url": w.pick(w.URLS),
    "email": w.pick(w.EMAILS),
    "mention": w.pick(w.MENTIONS),
    "hashtag": w.pick(w.HASHTAGS),
    "domain": w.pick(w.DOMAINS),
    "code": w.pick(w.CODE),
    "identifier": w.pick(w.IDENTIFIERS),
    "phone": lambda rng: f"{rng.randint(200, 399)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
    "phone2": lambda rng: f"{rng.randint(10, 99)}-{rng.randint(10, 99)}",
}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _pairs(rng: random.Random) -> dict[str, str]:
    """Values drawn together: ranges that run forward, two different months and weekdays."""
    y1, y2 = w.year_range(rng)
    d1 = rng.randint(1, 25)
    h1 = rng.randint(7, 12)
    r1 = rng.randrange(len(w.ROMAN) - 1)
    m1 = rng.randrange(len(w.MONTHS_PRE) - 1)
    m2 = rng.randint(m1 + 1, len(w.MONTHS_PRE) - 1)
    dec1 = rng.choice((1950, 1960, 1970, 1980, 1990))
    wd1 = rng.randrange(3)
    n1 = rng.randint(2, 40)
    return {
        "y1": y1,
        "y2": y2,
        "d1": str(d1),
        "d2": str(d1 + rng.randint(1, 3)),
        "h1": f"{h1}:00",
        "h2": f"{h1 + rng.randint(4, 9)}:{rng.choice(('00', '30'))}",
        "r1": w.ROMAN[r1],
        "r2": w.ROMAN[r1 + 1],
        "m1": w.MONTHS_PRE[m1],
        "m2": w.MONTHS_PRE[m2],
        "mn1": w.MONTHS_NOM[m1],
        "mn2": w.MONTHS_NOM[m2],
        "mn1_cap": w.MONTHS_NOM[m1].capitalize(),
        "dec1": str(dec1),
        "dec2": str(dec1 + 10)[2:],
        "wd1": w.WEEKDAYS[wd1],
        "wd2": w.WEEKDAYS[wd1 + rng.randint(2, 3)],
        "n1": str(n1),
        "n2": str(n1 + rng.randint(2, 30)),
    }


def fill(template: str, rng: random.Random) -> str:
    """One sentence from `template`, every slot drawn from `rng`."""
    pairs = _pairs(rng)
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    values = {n: pairs[n] if n in pairs else SLOTS[n](rng) for n in names}
    return template.format(**values)


def article_sentences() -> Iterator[str]:
    """The sentences (and short lines) of the test articles, as the newsroom typed them."""
    for name in ARTICLES:
        text = (DATA / name).read_text(encoding="utf-8").replace("\r\n", "\n")
        body = text.split("---\n", 2)[-1]
        for paragraph in body.split("\n\n"):
            lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
            if lines and _CREDIT_LINE.match(lines[0]):
                yield lines.pop(0)
            yield from (s for s in _SENTENCE_END.split(" ".join(lines)) if s)


def generate(per_template: int = PER_TEMPLATE, seed: int = SEED) -> list[dict[str, str]]:
    """The whole corpus: article sentences first, then `per_template` sentences a template."""
    rng = random.Random(seed)
    entries = [{"kind": "article", "text": s} for s in article_sentences()]
    seen = {e["text"] for e in entries}
    for kind, template, *count in TEMPLATES:
        wanted = count[0] if count else per_template
        made = 0
        for _ in range(wanted * 20):
            text = fill(template, rng)
            if text not in seen:
                seen.add(text)
                entries.append({"kind": kind, "text": text})
                made += 1
            if made == wanted:
                break
    return entries


def write(path: Path = CORPUS) -> int:
    """Write the corpus as JSON lines; the number of entries."""
    entries = generate()
    lines = (json.dumps(e, ensure_ascii=False) for e in entries)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(entries)


def load(path: Path = CORPUS) -> list[dict[str, str]]:
    """The committed corpus."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


if __name__ == "__main__":
    print(f"{write()} sentences written to {CORPUS}", file=sys.stderr)
