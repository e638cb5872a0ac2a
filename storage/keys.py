"""Every Redis key name Vestnik uses. No other module spells a key.

All keys share one hash tag, `{<prefix>}`, so every multi-key transaction or Lua script
touches a single slot and also works on Redis Cluster. The keyspace is documented in
`docs/storage.md`; add a key here and there together.
"""

from __future__ import annotations

import re

_PART = re.compile(r"[^\s:{}]+")


class InvalidKeyPart(ValueError):
    """A key part contained a separator, a brace or whitespace."""


def _part(value: object) -> str:
    text = str(value)
    if not _PART.fullmatch(text):
        raise InvalidKeyPart(f"invalid Redis key part: {text!r}")
    return text


class Keys:
    """Builds typed key names under one prefix and one hash tag."""

    def __init__(self, prefix: str = "vestnik") -> None:
        self.prefix = _part(prefix)
        self._base = "{" + self.prefix + "}"

    def _k(self, *parts: object) -> str:
        return ":".join([self._base, *(_part(p) for p in parts)])

    # --- articles -------------------------------------------------------------
    def article(self, article_id: str) -> str:
        """STRING: the article as JSON."""
        return self._k("article", article_id)

    def article_seq(self) -> str:
        """STRING counter: the last article number issued."""
        return self._k("article", "seq")

    def articles_all(self) -> str:
        """ZSET: article id -> published_at (unix seconds)."""
        return self._k("articles", "all")

    def articles_by_rubric(self, slug: str) -> str:
        """ZSET: article id -> published_at, one per rubric."""
        return self._k("articles", "rubric", slug)

    def articles_embargoed(self) -> str:
        """ZSET: article id -> its own publication time (`+inf`: none), articles not public yet."""
        return self._k("articles", "embargoed")

    def articles_unannounced(self) -> str:
        """ZSET: article id -> release time, released articles whose readers are not told yet."""
        return self._k("articles", "unannounced")

    def article_hashes(self) -> str:
        """HASH: content hash -> article id (import dedup)."""
        return self._k("articles", "hash")

    def article_sources(self) -> str:
        """HASH: source URL -> article id (re-import of a changed article)."""
        return self._k("articles", "source")

    def search_term(self, term: str) -> str:
        """ZSET: article id -> published_at for one normalised word (lemma)."""
        return self._k("search", "term", term)

    def article_terms(self, article_id: str) -> str:
        """SET: the lemmas indexed for one article (to unindex it)."""
        return self._k("search", "article", article_id)

    # --- rubrics --------------------------------------------------------------
    def rubrics(self) -> str:
        """HASH: rubric slug -> rubric JSON."""
        return self._k("rubrics")

    # --- channels -------------------------------------------------------------
    def channel(self, chat_id: int) -> str:
        """STRING: the channel's settings and status as JSON."""
        return self._k("channel", chat_id)

    def channels(self) -> str:
        """SET: ids of every known channel."""
        return self._k("channels")

    def channel_admins(self, chat_id: int) -> str:
        """SET: Telegram user ids Vestnik treats as this channel's admins."""
        return self._k("channel", chat_id, "admins")

    def chat_migrations(self) -> str:
        """HASH: old chat id -> new chat id (group upgraded to supergroup)."""
        return self._k("chats", "migrated")

    # --- queue and schedule ---------------------------------------------------
    def post(self, post_id: str) -> str:
        """STRING: a queued post (article in a channel) as JSON."""
        return self._k("post", post_id)

    def post_seq(self) -> str:
        """STRING counter: the last queued-post number issued."""
        return self._k("post", "seq")

    def channel_queue(self, chat_id: int) -> str:
        """ZSET: post id -> order, posts waiting for this channel's next slot."""
        return self._k("queue", chat_id)

    def scheduled(self) -> str:
        """ZSET: post id -> due time (unix seconds), posts with a fixed time."""
        return self._k("scheduled")

    def slot_marks(self) -> str:
        """HASH: chat id -> the last slot time (unix seconds) already served."""
        return self._k("slots", "served")

    def last_posts(self) -> str:
        """HASH: chat id -> when (unix seconds) a post was last dispatched there (min interval)."""
        return self._k("slots", "last")

    def dispatching(self) -> str:
        """ZSET: post id -> claim time, posts taken by a tick whose job is not yet enqueued."""
        return self._k("dispatching")

    def article_posts(self, article_id: str) -> str:
        """HASH: chat id -> post id, the latest post of this article in each chat."""
        return self._k("post", "article", article_id)

    def posts_index(self) -> str:
        """ZSET: post id -> created time, every stored post (retention of finished ones)."""
        return self._k("posts")

    # --- delivery engine ------------------------------------------------------
    def outbox_job(self, job_id: str) -> str:
        """STRING: a delivery job as JSON."""
        return self._k("outbox", "job", job_id)

    def outbox_ready(self, lane: str) -> str:
        """ZSET: job id -> not-before time, per lane (`channel` before `push`)."""
        return self._k("outbox", "ready", lane)

    def outbox_inflight(self) -> str:
        """ZSET: job id -> lease expiry, jobs claimed by a worker."""
        return self._k("outbox", "inflight")

    def outbox_payload(self, ref: str) -> str:
        """STRING: a rendered post shared by many jobs (fan-out)."""
        return self._k("outbox", "payload", ref)

    def outbox_owners(self) -> str:
        """HASH: claimed job id -> id of the worker holding its lease."""
        return self._k("outbox", "owners")

    def outbox_pairs(self) -> str:
        """HASH: `<article_id>|<chat_id>` -> job id being sent now (one sender per ledger pair)."""
        return self._k("outbox", "pairs")

    def outbox_wake(self) -> str:
        """PUB/SUB channel (not a key): a message on it wakes idle delivery workers."""
        return self._k("outbox", "wake")

    def rate(self, scope: str) -> str:
        """STRING/ZSET: rate-limiter state for one scope (`global`, `paid`, `chat.<id>`)."""
        return self._k("rate", scope)

    def chat_pause(self, chat_id: int) -> str:
        """STRING with TTL: set while Telegram asked us to wait for this chat (429)."""
        return self._k("rate", "pause", chat_id)

    def file_ids(self) -> str:
        """HASH: photo URL or upload digest -> Telegram file_id."""
        return self._k("files")

    def file_ids_index(self) -> str:
        """ZSET: photo URL or upload digest -> when its file_id was learned (retention)."""
        return self._k("files", "learned")

    def lease(self, name: str) -> str:
        """STRING with TTL: holder of a named lease (e.g. `poller`)."""
        return self._k("lease", name)

    # --- ledger and stats -----------------------------------------------------
    def ledger(self, article_id: str) -> str:
        """HASH: chat id -> delivery record JSON (the exactly-once ledger)."""
        return self._k("ledger", article_id)

    def ledger_log(self, article_id: str) -> str:
        """LIST: every event of an article's delivery (published, skipped, failed, edited...)."""
        return self._k("ledger", article_id, "log")

    def ledger_index(self) -> str:
        """ZSET: ledger id (article id, `digest-<day>`) -> time of its last event (retention)."""
        return self._k("ledgers")

    def ledger_unsummarised(self) -> str:
        """ZSET: ledger id -> time of its last event, ledgers holding readers' records that
        are not summarised yet (see `storage/ledger_summary.py`)."""
        return self._k("ledgers", "loose")

    def stats(self, day: str) -> str:
        """HASH: counters for one local day `YYYY-MM-DD` (published, failed.<reason>, pushes)."""
        return self._k("stats", day)

    def stats_index(self) -> str:
        """ZSET: local day `YYYY-MM-DD` -> time of its first counted event (retention)."""
        return self._k("stats", "index")

    # --- subscribers ----------------------------------------------------------
    def digests(self) -> str:
        """ZSET: user id -> next digest time (unix seconds)."""
        return self._k("digests")

    def stop_request(self, user_id: int) -> str:
        """STRING with TTL: `<message id>:<asked at>` of the user's pending /stop confirmation."""
        return self._k("stop", user_id)

    def usernames(self) -> str:
        """HASH: lowercased @username -> user id, learned from updates."""
        return self._k("usernames")

    def usernames_seen(self) -> str:
        """ZSET: lowercased @username -> when it was last learned (retention)."""
        return self._k("usernames", "seen")

    def rubric_subscribers_shard(self, slug: str, mode: str, shard: int) -> str:
        """SET (intset): user ids in one shard (`id % shards`) of a rubric, per mode.

        Mode `all` holds every subscription, `instant` those who get pushes. Shards keep each
        set under `set-max-intset-entries`, so a subscription costs ~8 bytes.
        """
        return self._k("subs", slug, mode, shard)

    def subscriber_shard(self, shard: int) -> str:
        """HASH (listpack): user id -> compact settings string, for users with `id % shards`."""
        return self._k("subscribers", shard)

    def subscribed_rubrics(self) -> str:
        """SET: slugs of every rubric that has (or had) subscribers."""
        return self._k("subs", "slugs")

    def subscription_counts(self) -> str:
        """HASH: rubric slug -> number of subscribers (pushes or digest)."""
        return self._k("subs", "counts")

    def quiet_subscribers(self) -> str:
        """SET: user ids that have quiet hours (their pushes may be deferred)."""
        return self._k("subs", "quiet")

    # --- roles, desk, audit ---------------------------------------------------
    def editors(self, chat_id: int) -> str:
        """SET: user ids granted the editor role in a channel."""
        return self._k("editors", chat_id)

    def user_channels(self, user_id: int) -> str:
        """SET: channel ids where the user is an editor."""
        return self._k("user", user_id, "channels")

    def admins_cache(self, chat_id: int) -> str:
        """STRING with TTL: the channel's Telegram admin ids (getChatAdministrators)."""
        return self._k("tgadmins", chat_id)

    def invite(self, code: str) -> str:
        """STRING with TTL: a one-time editor invite code."""
        return self._k("invite", code)

    def draft(self, draft_id: str) -> str:
        """STRING: an editor's draft post as JSON."""
        return self._k("draft", draft_id)

    def user_drafts(self, user_id: int) -> str:
        """ZSET: draft id -> updated time, one per editor."""
        return self._k("user", user_id, "drafts")

    def draft_seq(self) -> str:
        """STRING counter: the last draft number issued."""
        return self._k("draft", "seq")

    def drafts_index(self) -> str:
        """ZSET: draft id -> updated time, every editor's drafts (retention)."""
        return self._k("drafts")

    def audit(self) -> str:
        """LIST: the newest admin and editor actions first (capped); refusals live apart."""
        return self._k("audit")

    def audit_seq(self) -> str:
        """STRING counter: the number of the last audit entry written (orders both lists)."""
        return self._k("audit", "seq")

    def audit_refusals(self) -> str:
        """LIST: the newest refused attempts first (capped, and capped per person)."""
        return self._k("audit", "refused")

    def audit_refusal_count(self, user_id: int) -> str:
        """STRING with TTL: how many refusals of this person the current window recorded."""
        return self._k("audit", "refused", "by", user_id)

    def refusal_replies(self, user_id: int) -> str:
        """STRING with TTL: how many refusal replies this person got in the current window."""
        return self._k("rate", "refusals", user_id)

    def fsm_prefix(self) -> str:
        """Prefix for aiogram's RedisStorage keys (dialogue state), inside the same tag."""
        return self._k("fsm")
