"""`/new`: channel and rubric (buttons), headline, lead, photo, credit, source, preview.

Every step stores what was typed in the draft at once (an abandoned dialogue stays in
`/drafts`) and offers «Назад» and «Отмена». The dialogue state is aiogram FSM (Redis); its
data holds only the draft id.
"""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.desk.drafts import DraftError, is_url
from bot.desk.keyboards import (
    Nav,
    PickChannel,
    PickRubric,
    channel_picker,
    rubric_picker,
    step_keyboard,
    with_cancel,
)
from handlers.editors.common import (
    Env,
    args_of,
    authorize,
    current_draft,
    find_channel,
    looks_like_channel,
    own_draft,
    title,
)
from handlers.editors.preview import show_preview
from handlers.editors.prompts import remember_prompt, retire_prompt
from handlers.editors.states import Compose
from storage.models.draft import Draft

STEPS = ("channel", "rubric", "headline", "lead", "photo", "credit", "source", "preview")
SKIPPABLE = {"photo": "nophoto", "credit": "skip", "source": "skip"}
TEXT = ~F.text.startswith("/")


def register(router: Router) -> None:
    """Attach the dialogue's handlers."""
    router.message.register(new_command, Command("new"))
    router.callback_query.register(picked_channel, PickChannel.filter(F.purpose == "new"))
    router.callback_query.register(picked_rubric, PickRubric.filter())
    router.callback_query.register(navigate, Nav.filter())
    router.message.register(got_headline, Compose.headline, F.text, TEXT)
    router.message.register(got_lead, Compose.lead, F.text, TEXT)
    router.message.register(got_photo, Compose.photo, F.photo)
    router.message.register(got_photo_url, Compose.photo, F.text, TEXT)
    router.message.register(got_credit, Compose.credit, F.text, TEXT)
    router.message.register(got_source, Compose.source, F.text, TEXT)


async def ask(env: Env, draft: Draft, step: str) -> None:
    """Show the prompt of `step` and wait for its answer (the previous prompt's buttons go)."""
    await retire_prompt(env)
    if env.state is not None:
        await env.state.set_state(getattr(Compose, step))
        await env.state.update_data(draft_id=draft.id)
    if step == "channel":
        prompt = await ask_channel(env, draft)
    elif step == "rubric":
        rubrics = await env.desk.drafts.rubrics_for(draft.chat_id)
        picker = rubric_picker(rubrics, draft.id, env.i18n, env.locale)
        prompt = await env.say("desk.new.rubric", picker)
    elif step == "preview":
        prompt = await show_preview(env, draft)
    else:
        keyboard = step_keyboard(env.i18n, env.locale, draft.id, skip=SKIPPABLE.get(step))
        current = _current_value(draft, step)
        text = env.t(f"desk.new.{step}")
        if current:
            text += "\n\n" + env.t("desk.new.current", value=current)
        prompt = await env.send(text, keyboard)
    await remember_prompt(env, prompt)


def _current_value(draft: Draft, step: str) -> str:
    values = {
        "headline": draft.headline,
        "lead": draft.lead,
        "photo": draft.photo_url or ("📷" if draft.photo_file_id else ""),
        "credit": draft.photo_credit or "",
        "source": draft.source_url or "",
    }
    return values.get(step, "")[:300]


async def ask_channel(env: Env, draft: Draft) -> int | None:
    """The channel picker (channels where the user may compose); its message id."""
    mine = await env.roles.channels_for(env.user.id, "editor")
    if not mine:
        await env.say("desk.channel.none")
        return None
    picker = with_cancel(channel_picker(mine, "new"), env.i18n, env.locale, draft.id)
    return await env.say("desk.new.channel", picker)


def first_missing(draft: Draft) -> str:
    """The step a reopened draft continues from."""
    if draft.chat_id is None:
        return "channel"
    if not draft.rubric:
        return "rubric"
    if not draft.headline:
        return "headline"
    return "preview"


async def new_command(message: Message, **data: Any) -> None:
    """`/new [@channel]`: start a draft; with one channel (or one named), go to the rubric."""
    env = Env.of(message, data)
    args = args_of(message.text)
    if args and looks_like_channel(args[0]):
        channel = await find_channel(env, args[0])
        if channel is None:
            await env.say("desk.channel.unknown", ref=args[0])
            return
        if not (await authorize(env, channel.id, "/new", "editor")).allowed:
            return
        draft = await env.desk.drafts.start(env.user.id)
        await env.say("desk.new.started", id=draft.id)
        await choose_channel(env, draft, channel.id, checked=True)
        return
    mine = await env.roles.channels_for(env.user.id, "editor")
    if not mine:
        await env.say("desk.channel.none")
        return
    draft = await env.desk.drafts.start(env.user.id)
    await env.say("desk.new.started", id=draft.id)
    if len(mine) == 1:
        await choose_channel(env, draft, mine[0].id, checked=True)
    else:
        await ask(env, draft, "channel")


async def choose_channel(env: Env, draft: Draft, chat_id: int, *, checked: bool = False) -> None:
    """Set the draft's channel (after checking the editor role there, unless just checked)."""
    if not checked and not (await authorize(env, chat_id, "/new", "editor")).allowed:
        return
    draft = await env.desk.drafts.update(draft, chat_id=chat_id)
    channel = await env.desk.channels.get(chat_id)
    if channel is not None:
        await env.say("desk.new.channel_set", title=title(channel))
    await ask(env, draft, "rubric" if not draft.rubric else first_missing(draft))


async def picked_channel(query: CallbackQuery, callback_data: PickChannel, **data: Any) -> None:
    """A channel button under `/new` (or a reopened draft)."""
    env = Env.of(query, data)
    if not (await authorize(env, callback_data.chat_id, "/new", "editor")).allowed:
        return  # checked before a draft is touched or started: a refusal changes nothing
    await env.ack()
    draft = await current_draft(env) or await env.desk.drafts.start(env.user.id)
    await choose_channel(env, draft, callback_data.chat_id, checked=True)


async def picked_rubric(query: CallbackQuery, callback_data: PickRubric, **data: Any) -> None:
    """A rubric button: store it, ask for the headline."""
    env = Env.of(query, data)
    await env.ack()
    draft = await own_draft(env, callback_data.draft_id, "/new:rubric")
    rubric = await env.desk.drafts.rubric(callback_data.slug)
    if draft is None or rubric is None:
        await env.say("desk.draft.gone")
        return
    draft = await env.desk.drafts.update(draft, rubric=rubric.slug)
    await ask(env, draft, "headline" if not draft.headline else first_missing(draft))


async def navigate(query: CallbackQuery, callback_data: Nav, **data: Any) -> None:
    """«Назад», «Отмена», «Пропустить», «Без фото»."""
    env = Env.of(query, data)
    await env.ack()
    draft = await own_draft(env, callback_data.draft_id, f"/new:{callback_data.action}")
    if draft is None:
        await env.say("desk.draft.gone")
        return
    step = await _step_of(env)
    if callback_data.action == "cancel":
        await cancel(env, draft)
    elif callback_data.action == "back":
        await ask(env, draft, _previous(step))
    elif callback_data.action == "nophoto":
        draft = await env.desk.drafts.update(draft, photo_url=None, photo_file_id=None)
        await ask(env, draft, "source")
    elif callback_data.action == "skip" and step in ("credit", "source"):
        changes = {"photo_credit": None} if step == "credit" else {"source_url": None}
        draft = await env.desk.drafts.update(draft, **changes)
        await ask(env, draft, _next(step))


async def _step_of(env: Env) -> str:
    state = await env.state.get_state() if env.state is not None else None
    if not state or not state.startswith("Compose:"):
        return "preview"
    return state.split(":", 1)[1]


def _previous(step: str) -> str:
    if step == "when":
        return "preview"
    index = STEPS.index(step) if step in STEPS else len(STEPS) - 1
    return STEPS[max(0, index - 1)]


def _next(step: str) -> str:
    return STEPS[min(len(STEPS) - 1, STEPS.index(step) + 1)]


async def cancel(env: Env, draft: Draft) -> None:
    """Leave the dialogue; the draft stays for `/drafts`."""
    await retire_prompt(env)
    if env.state is not None:
        await env.state.clear()
    await env.say("desk.new.cancelled", id=draft.id)


async def _store(env: Env, step: str, **changes: Any) -> None:
    draft = await current_draft(env)
    if draft is None:
        await env.say("desk.draft.gone")
        if env.state is not None:
            await env.state.clear()
        return
    try:
        draft = await env.desk.drafts.update(draft, **changes)
    except DraftError as exc:
        await env.say(f"desk.draft.{exc.code}")
        return
    await ask(env, draft, _next(step))


async def got_headline(message: Message, **data: Any) -> None:
    """The headline."""
    await _store(Env.of(message, data), "headline", headline=(message.text or "").strip())


async def got_lead(message: Message, **data: Any) -> None:
    """The lead paragraph."""
    await _store(Env.of(message, data), "lead", lead=(message.text or "").strip())


async def got_photo(message: Message, **data: Any) -> None:
    """An uploaded photo: its largest size's file_id."""
    file_id = message.photo[-1].file_id if message.photo else None
    await _store(Env.of(message, data), "photo", photo_file_id=file_id, photo_url=None)


async def got_photo_url(message: Message, **data: Any) -> None:
    """A link to a photo."""
    env = Env.of(message, data)
    url = (message.text or "").strip()
    if not is_url(url):
        await env.say("desk.draft.bad_photo_url")
        return
    await _store(env, "photo", photo_url=url, photo_file_id=None)


async def got_credit(message: Message, **data: Any) -> None:
    """The photo credit (`assembly.kz`; a leading «Фото:» is dropped)."""
    credit = (message.text or "").strip()
    for prefix in ("Фото:", "фото:", "Photo:", "photo:"):
        credit = credit.removeprefix(prefix).strip()
    await _store(Env.of(message, data), "credit", photo_credit=credit or None)


async def got_source(message: Message, **data: Any) -> None:
    """The source link."""
    env = Env.of(message, data)
    url = (message.text or "").strip()
    if not is_url(url):
        await env.say("desk.draft.bad_source_url")
        return
    await _store(env, "source", source_url=url)
