"""Readers' copies against a real Redis: the push's buttons, and edits that reach every copy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from redis.asyncio import Redis

from bot.clock import VirtualClock
from bot.subscribers.copies import ReaderCopies, ReaderCopy
from bot.subscribers.push import PushListener
from bot.subscribers.search import Lemmatizer, SearchService, shared_morph
from storage.articles import ArticleRepo
from storage.keys import Keys
from storage.ledger import LedgerRepo
from storage.models.article import Article
from storage.models.delivery import LedgerEntry
from storage.models.subscriber import Subscriber
from storage.outbox import OutboxRepo
from storage.rubrics import RubricRepo
from storage.search_index import SearchIndex
from storage.subscriptions import SubscriptionRepo
from tests.subscribers.helpers import NOW, settings

SOURCE = "https://example.kz/news/budget"
RENDER = ReaderCopy("Читать полностью", "Источник")
CHANNEL = -1001
QUIET = 3


class Parts:
    """A push listener with its reader copies, on one Redis and a virtual clock."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.clock = VirtualClock(NOW)  # 11:00 in Almaty
        self.subs = SubscriptionRepo(redis, keys, shards=8, user_shards=8)
        self.outbox = OutboxRepo(redis, keys, time_source=self.clock.time)
        self.ledger = LedgerRepo(redis, keys)
        self.articles = ArticleRepo(redis, keys, now=self.clock.now)
        rubrics = RubricRepo(redis, keys, defaults=settings().rubrics)
        self.copies = ReaderCopies(
            self.ledger, self.outbox, self.articles, rubrics, RENDER, self.clock
        )
        search = SearchService(SearchIndex(redis, keys), self.articles, Lemmatizer(shared_morph()))
        self.listener = PushListener(
            self.subs, rubrics, self.outbox, search, self.clock, settings(), RENDER, self.copies
        )

    async def store(self, headline: str) -> Article:
        article = Article(rubric="Политика", headline=headline, lead="Лид.", source_url=SOURCE)
        return (await self.articles.store(article)).article

    async def sent(self, article_id: str, chat_id: int, message_id: int) -> None:
        await self.ledger.record(
            LedgerEntry(
                article_id=article_id,
                chat_id=chat_id,
                status="published",
                at=self.clock.time(),
                message_id=message_id,
            )
        )


@pytest.fixture
def parts(redis: Redis, keys: Keys) -> Parts:
    return Parts(redis, keys)


def test_a_push_has_a_button_for_the_whole_article_and_one_for_its_source() -> None:
    article = Article(id="42", rubric="Политика", headline="Заголовок", source_url=SOURCE)
    post = RENDER(article, None)
    assert post.reply_markup == {
        "inline_keyboard": [
            [
                {"text": "Читать полностью", "callback_data": "sa:42"},
                {"text": "Источник", "url": SOURCE},
            ]
        ]
    }
    assert "href" not in post.text  # the source is a button, not a second link in the text
    assert post.version == article.content_hash
    bare = RENDER(article.model_copy(update={"source_url": None}), None)
    assert bare.reply_markup == {
        "inline_keyboard": [[{"text": "Читать полностью", "callback_data": "sa:42"}]]
    }


async def test_an_edit_reaches_sent_and_waiting_pushes_but_leaves_channels_to_publishing(
    parts: Parts,
) -> None:
    for reader in (1, 2, QUIET):
        await parts.subs.subscribe(reader, "politika")
    # quiet hours 10:00-12:00 local: it is 11:00 in Almaty, so this push waits until 12:00
    await parts.subs.save(Subscriber(user_id=QUIET, quiet_from=600, quiet_to=720), digest_due=None)
    first = await parts.store("Бюджет примут в четверг")
    await parts.listener.article_stored(first, is_new=True, changed=False)
    article_id = str(first.id)
    sent = await parts.outbox.claim(parts.clock.time(), 10, "w1", 30)
    assert sorted(j.chat_id for j in sent) == [1, 2]
    await parts.sent(article_id, 1, 501)
    await parts.sent(article_id, 2, 502)
    await parts.sent(article_id, CHANNEL, 900)

    await parts.clock.advance(60)
    second = await parts.store("Бюджет примут в пятницу")  # same source: changed in place
    assert second.id == first.id
    await parts.listener.article_stored(second, is_new=False, changed=True)

    edits = await parts.outbox.claim(parts.clock.time(), 10, "w2", 30)
    assert {(j.kind, j.lane, j.chat_id, j.message_id) for j in edits} == {
        ("edit", "push", 1, 501),
        ("edit", "push", 2, 502),
    }  # the channel's copy is publishing's; nothing else was due
    for job in edits:
        assert job.post is not None and "пятницу" in job.post.text
        assert job.post.version == second.content_hash
        assert job.post.reply_markup == RENDER.keyboard(second)
    await parts.clock.advance(timedelta(hours=1).total_seconds())
    [deferred] = await parts.outbox.claim(parts.clock.time(), 10, "w3", 30)
    assert deferred.chat_id == QUIET and deferred.kind == "push"
    assert deferred.post is not None and "пятницу" in deferred.post.text  # the new version


async def test_a_copy_sent_from_an_older_version_is_edited_once_it_is_out(parts: Parts) -> None:
    await parts.subs.subscribe(1, "politika")
    first = await parts.store("Первая версия")
    await parts.listener.article_stored(first, is_new=True, changed=False)
    [in_flight] = await parts.outbox.claim(parts.clock.time(), 10, "w1", 30)
    second = await parts.store("Вторая версия")
    await parts.listener.article_stored(second, is_new=False, changed=True)  # no copy out yet
    assert await parts.outbox.pending_count() == 0
    await parts.sent(str(first.id), 1, 501)  # the old version is out now
    await parts.copies.after_delivery(in_flight, 501)
    [edit] = await parts.outbox.claim(parts.clock.time(), 10, "w2", 30)
    assert (edit.kind, edit.chat_id, edit.message_id) == ("edit", 1, 501)
    assert edit.post is not None and "Вторая версия" in edit.post.text
    await parts.copies.after_delivery(edit, None)  # the edit shows the current version
    await parts.copies.after_delivery(in_flight.model_copy(update={"chat_id": CHANNEL}), 7)
    assert await parts.outbox.pending_count() == 0
