"""How every key family of `storage/keys.py` stays bounded (docs/storage.md, Retention).

Each `Keys` method has one entry (a test checks that none is missing, and that the old data a
retention sweep leaves behind matches this map):
- `ttl`: every key of the family expires on its own;
- `swept`: the retention sweep (`bot/retention`) deletes old entries, found through an index
  or the key's own order, never `KEYS`; an index whose entries all went disappears with them;
- `live`: current state (channels, rubrics, subscriptions, roles, waiting posts and jobs)
  whose size is that of what exists now; it goes with it (an unsubscription, a job sent);
- `counter`: a single counter key;
- `channel`: a pub/sub channel, not a key.
"""

from __future__ import annotations

from typing import Literal

Policy = Literal["ttl", "swept", "live", "counter", "channel"]

RETENTION: dict[str, tuple[Policy, str]] = {
    # articles
    "article": ("swept", "ARTICLE_RETENTION_DAYS, by articles_all"),
    "article_seq": ("counter", "article numbers"),
    "articles_all": ("swept", "entries leave with their article"),
    "articles_by_rubric": ("swept", "entries leave with their article"),
    "articles_embargoed": ("live", "articles waiting for their first publication"),
    "articles_unannounced": ("live", "released articles whose readers are being told"),
    "article_hashes": ("swept", "entries leave with their article"),
    "article_sources": ("swept", "entries leave with their article"),
    "search_term": ("swept", "entries leave with their article"),
    "article_terms": ("swept", "deleted with its article"),
    "rubrics": ("live", "one field per rubric"),
    # channels
    "channel": ("live", "one per channel the bot was added to"),
    "channels": ("live", "one member per channel"),
    "channel_admins": ("live", "one set per channel"),
    "chat_migrations": ("live", "one field per group that became a supergroup"),
    # queue and schedule
    "post": ("swept", "RETENTION__POST_DAYS once finished, by posts_index; with its article"),
    "post_seq": ("counter", "post numbers"),
    "channel_queue": ("live", "waiting posts; a purged article's leave at once"),
    "scheduled": ("live", "waiting timed posts; a purged article's leave at once"),
    "slot_marks": ("live", "one field per channel"),
    "last_posts": ("live", "one field per channel"),
    "dispatching": ("live", "posts being handed over (seconds)"),
    "article_posts": ("swept", "deleted with its article; entries with their posts"),
    "posts_index": ("swept", "entries leave with their posts"),
    # delivery engine
    "outbox_job": ("live", "waiting jobs; a finished job is deleted or expires (tombstone)"),
    "outbox_ready": ("live", "waiting jobs"),
    "outbox_inflight": ("live", "jobs being sent"),
    "outbox_payload": ("ttl", "until the last job due + 3 days"),
    "outbox_owners": ("live", "jobs being sent"),
    "outbox_pairs": ("live", "pairs being sent"),
    "outbox_wake": ("channel", "pub/sub"),
    "rate": ("ttl", "until the limiter's state is in the past"),
    "chat_pause": ("ttl", "Telegram's retry_after"),
    "file_ids": ("swept", "RETENTION__FILE_ID_DAYS, by file_ids_index"),
    "file_ids_index": ("swept", "entries leave with their file_ids"),
    "lease": ("ttl", "the lease period"),
    # ledger and stats
    "ledger": ("swept", "RETENTION__LEDGER_DAYS idle (digests: shorter), or with its article"),
    "ledger_log": ("swept", "with its ledger"),
    "ledger_index": ("swept", "entries leave with their ledgers"),
    "ledger_unsummarised": ("swept", "entries leave once summarised"),
    "stats": ("swept", "RETENTION__STATS_DAYS by stats_index; also expires"),
    "stats_index": ("swept", "entries leave with their days"),
    # subscribers
    "digests": ("live", "one member per digest reader"),
    "stop_request": ("ttl", "the /stop confirmation window"),
    "usernames": ("swept", "RETENTION__USERNAME_DAYS unseen, by usernames_seen"),
    "usernames_seen": ("swept", "entries leave with their usernames"),
    "rubric_subscribers_shard": ("live", "subscriptions"),
    "subscriber_shard": ("live", "subscribers' settings"),
    "subscribed_rubrics": ("live", "one member per rubric"),
    "subscription_counts": ("live", "one field per rubric"),
    "quiet_subscribers": ("live", "readers with quiet hours"),
    # roles, desk, audit
    "editors": ("live", "editor grants"),
    "user_channels": ("live", "editor grants"),
    "admins_cache": ("ttl", "the admin cache period"),
    "invite": ("ttl", "the invite's validity"),
    "draft": ("swept", "RETENTION__DRAFT_DAYS unchanged, by drafts_index"),
    "user_drafts": ("swept", "entries leave with their drafts"),
    "draft_seq": ("counter", "draft numbers"),
    "drafts_index": ("swept", "entries leave with their drafts"),
    "audit": ("swept", "RETENTION__AUDIT_DAYS, from the old end; also capped"),
    "audit_seq": ("counter", "audit entry numbers"),
    "audit_refusals": ("swept", "RETENTION__AUDIT_DAYS, from the old end; also capped"),
    "audit_refusal_count": ("ttl", "the refusal window"),
    "refusal_replies": ("ttl", "the reply window"),
    "fsm_prefix": ("ttl", "RETENTION__DIALOGUE_HOURS"),
}
