"""Builds every feature in dependency order and merges what they provide."""

from __future__ import annotations

from typing import Any

from bot.context import AppContext, Feature


def build_features(ctx: AppContext) -> list[Feature]:
    """Each feature's `build(ctx, deps)` sees the workflow data of those built before it.

    `deps["article_listeners"]` holds the listeners of the features built so far, so the
    articles feature, built after the others that listen, tells every one of them about
    stored articles. Retention comes last: it only needs the context.
    """
    from bot.articles import wiring as articles
    from bot.delivery import wiring as delivery
    from bot.desk import wiring as desk
    from bot.publishing import wiring as publishing
    from bot.retention import wiring as retention
    from bot.subscribers import wiring as subscribers

    deps: dict[str, Any] = {}
    features: list[Feature] = []
    for module in (delivery, publishing, subscribers, desk, articles, retention):
        deps["article_listeners"] = listeners_of(features)
        feature = module.build(ctx, deps)
        deps.update(feature.workflow_data)
        features.append(feature)
    return features


def listeners_of(features: list[Feature]) -> list[Any]:
    """Every article listener of every feature, in build order."""
    return [listener for feature in features for listener in feature.listeners]


def workflow_data(features: list[Feature]) -> dict[str, Any]:
    """The merged workflow data of every feature."""
    merged: dict[str, Any] = {}
    for feature in features:
        merged.update(feature.workflow_data)
    return merged
