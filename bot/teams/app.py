"""The Teams adapter: a microsoft-teams-apps `App` whose handlers turn activities into answers.

Messages (`release june-2022 scope`, `@releasebot mod MP122A`, in a channel, a group chat or a
1:1 chat) are answered with the Adaptive Card rendering of the same reply Slack and the console
get. Action.Execute buttons come back as invokes with verb `releasebot.<action>`: navigation
buttons re-run their command for the person who clicked, acting buttons go to `bot.press`; the
invoke response is the new card, which Teams shows to that person in place of the old one.
Conversations are stored on install and kept current by every message, for `send_card`.

The SDK validates the JWT of every activity before any handler runs (Bot Framework signing keys,
audience = our app id, issuer, expiry, service URL); there is no way to turn that off here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.routing import Route

from bot.core import Releasebot
from bot.pollsync import PollRefresher
from bot.teams import activity as teams_activity
from bot.teams.cards import card_invoke_response, card_message, comment_card
from bot.teams.config import TeamsConfig
from bot.teams.http import StarletteRoutes
from bot.teams.sdk import (
    PUBLIC,
    ActivityBase,
    ActivityContext,
    AdaptiveCardInvokeActivity,
    App,
    CloudEnvironment,
    ConversationUpdateActivity,
    InstalledActivity,
    InvokeResponse,
    MessageActivity,
    UninstalledActivity,
    quiet_token_refusals,
)
from bot.teams.send import Conversation, send_card
from commands import messages
from commands.buttons import BUTTONS, Pressed
from commands.context import Actor, Channel, Context
from commands.polls import outcome_reply, poll_card
from commands.render import render_teams
from commands.reply import Note, Paragraph, Reply, spans
from store import polls
from store.teams import (
    ConversationInfo,
    find_conversation,
    forget_conversation,
    save_conversation,
)

__all__ = ["MESSAGING_PATH", "TeamsAdapter", "TokenSource"]

log = logging.getLogger("releasebot.teams")

MESSAGING_PATH = "/api/messages"
VERB_PREFIX = "releasebot."
DEFAULT_SERVICE_URL = "https://smba.trafficmanager.net/teams"
_REMEMBERED_MAX = 10_000
POLL_REFRESH_SECONDS = 0.5  # votes within this long of each other update the poll card once

# (scope, tenant id) -> a Bot Framework access token; only tests give one (the real one comes
# from Entra ID through MSAL, which refuses any authority but Microsoft's).
TokenSource = Callable[[str, str | None], str]


def _sorry() -> Reply:
    return Reply("Sorry", (Paragraph(spans(messages.internal_error("teams"))),), kind="error")


class TeamsAdapter:
    """Owns the Teams App and the routes the web server mounts; started and stopped as a Service."""

    def __init__(self, bot: Releasebot, config: TeamsConfig, *, cloud: CloudEnvironment = PUBLIC, token: TokenSource | None = None) -> None:
        self.bot = bot
        self.config = config
        self._routes = StarletteRoutes()
        # Every option that decides authentication is given, so none falls back to the environment.
        credential: dict[str, Any] = {"token": token} if token is not None else {"client_secret": config.client_secret}
        self.app = App(
            client_id=config.client_id,
            tenant_id=config.tenant_id,
            cloud=cloud,
            service_url=DEFAULT_SERVICE_URL,
            http_server_adapter=self._routes,
            messaging_endpoint=MESSAGING_PATH,
            dangerously_allow_unauthenticated_requests=False,
            **credential,
        )
        quiet_token_refusals()
        self._remembered: dict[str, ConversationInfo] = {}
        self._polls = PollRefresher(self._refresh_poll, lambda: POLL_REFRESH_SECONDS)
        bot.poll_publishers.append(self)
        self._started = False
        self._register()

    # -- wiring ----------------------------------------------------------------------------

    def routes(self) -> list[Route]:
        return [self._routes.route(MESSAGING_PATH)]

    async def start(self) -> None:
        """Register the SDK's JWT-checking handler on our route (no network until a request)."""
        if not self._started:
            await self.app.initialize()
            self._started = True
        self._require_authentication()

    async def stop(self) -> None:
        """Nothing to stop: handlers run inside requests, which the web server drains."""

    def _require_authentication(self) -> None:
        """Fail closed if the SDK would accept an activity without validating its token."""
        if self.app.options.dangerously_allow_unauthenticated_requests is not False:
            raise RuntimeError(messages.teams_auth_off("unauthenticated requests are allowed"))
        if getattr(self.app.server, "_token_validator", None) is None:
            raise RuntimeError(messages.teams_auth_off("the SDK built no token validator"))

    def _register(self) -> None:
        app = self.app
        app.on_message(self.on_message)
        app.on_card_action_execute(self.on_card_action)
        app.on_install_add(self.on_install)
        app.on_install_remove(self.on_uninstall)
        app.on_conversation_update(self.on_conversation_update)

    def actor(self, activity: ActivityBase) -> Actor:
        return self.bot.actor("teams", teams_activity.sender_id(activity), activity.from_.name or "")

    # -- proactive -------------------------------------------------------------------------

    async def send_card(self, conversation: Conversation, card: dict[str, Any]) -> str:
        """Post a card to a stored conversation (by id) or a conversation reference; its message id."""
        return await send_card(self.app, self.bot.db, conversation, card)

    # -- conversations ---------------------------------------------------------------------

    async def _remember(self, ctx: ActivityContext[Any], always: bool = False) -> None:
        """Store the conversation reference when it is new or changed (a store failure is logged)."""
        info = teams_activity.conversation_info(ctx.activity, ctx.conversation_ref)
        if not always and self._remembered.get(info.conversation_id) == info:
            return
        try:
            await save_conversation(self.bot.db, info)
        except Exception:
            log.warning(messages.log_teams_handler_failed("a store error", "conversation"), exc_info=True)
            return
        if len(self._remembered) >= _REMEMBERED_MAX:
            self._remembered.clear()
        self._remembered[info.conversation_id] = info

    async def _forget(self, ctx: ActivityContext[Any]) -> None:
        conversation_id = teams_activity.base_conversation_id(ctx.activity.conversation.id)
        self._remembered.pop(conversation_id, None)
        try:
            await forget_conversation(self.bot.db, conversation_id)
        except Exception:
            log.warning(messages.log_teams_handler_failed("a store error", "conversation"), exc_info=True)

    async def on_install(self, ctx: ActivityContext[InstalledActivity]) -> None:
        await self._remember(ctx, always=True)

    async def on_uninstall(self, ctx: ActivityContext[UninstalledActivity]) -> None:
        await self._forget(ctx)

    async def on_conversation_update(self, ctx: ActivityContext[ConversationUpdateActivity]) -> None:
        """The bot added to (or removed from) a team or chat; other members coming and going are not ours."""
        bot_id = ctx.activity.recipient.id
        if any(member.id == bot_id for member in ctx.activity.members_added or []):
            await self._remember(ctx, always=True)
        elif any(member.id == bot_id for member in ctx.activity.members_removed or []):
            await self._forget(ctx)

    # -- messages --------------------------------------------------------------------------

    async def on_message(self, ctx: ActivityContext[MessageActivity]) -> None:
        try:
            await self._remember(ctx)
            text = teams_activity.command_text(ctx.activity) or "help"
            reply, card = await self.bot.answer_rendered(
                None, text, self.actor(ctx.activity), "teams", channel=teams_activity.channel(ctx.activity), render_fn=render_teams
            )
            sent = await ctx.send(card_message(card))
            if reply.meta.get("publish"):  # a new poll: remember the message, to update it as votes come in
                poll_id = int(reply.meta["poll_id"])
                conversation = ctx.activity.conversation.id
                await self.bot.run(lambda session, postgres: polls.record_message(session, poll_id, "teams", conversation, str(sent.id)))
        except Exception as exc:
            log.warning(messages.log_teams_handler_failed(type(exc).__name__, "message"), exc_info=True)
            await self._apologise(ctx)

    async def _apologise(self, ctx: ActivityContext[MessageActivity]) -> None:
        """Tell the person something failed (if Teams can still be reached at all)."""
        try:
            await ctx.send(card_message(render_teams(_sorry())))
        except Exception as exc:
            log.warning(messages.log_teams_handler_failed(type(exc).__name__, "apology"))

    # -- buttons ---------------------------------------------------------------------------

    async def on_card_action(self, ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> InvokeResponse[Any]:
        """Action.Execute: the card that replaces the clicked one for the person who clicked."""
        try:
            reply, card, replaces = await self._press(ctx)
        except Exception as exc:
            log.warning(messages.log_teams_handler_failed(type(exc).__name__, "card action"), exc_info=True)
            return card_invoke_response(render_teams(_sorry()))
        if reply.public and not reply.is_error and not replaces:
            # A change or a shared answer is for everyone: post it too (Slack says it in the channel).
            try:
                await ctx.send(card_message(card))
            except Exception as exc:  # the clicker still sees it; done is done
                log.warning(messages.log_teams_handler_failed(type(exc).__name__, "card action post"), exc_info=True)
        return card_invoke_response(card)

    async def _press(self, ctx: ActivityContext[AdaptiveCardInvokeActivity]) -> tuple[Reply, dict[str, Any], bool]:
        """(reply, its card, whether it only replaces the clicked card: a page of the same answer)."""
        action = ctx.activity.value.action
        verb = action.verb or ""
        name = verb[len(VERB_PREFIX) :] if verb.startswith(VERB_PREFIX) else ""
        data = action.data or {}
        value = json.dumps(data) if name in BUTTONS else str(data.get("value", ""))
        actor = self.actor(ctx.activity)
        channel = teams_activity.channel(ctx.activity)
        if name == "vote_comment" and value.isdecimal():
            view = await self.bot.read(lambda session: polls.load_poll(session, int(value)))
            return Reply("Comment", ()), comment_card(view), True
        if name == "vote" and data.get("comment"):
            value = f"{value}:{' '.join(str(data['comment']).split())}"
        result = await self.bot.press(name, value, actor, channel)
        if name == "vote" and isinstance(result, Reply) and value.split(":", 1)[0].isdecimal():
            # The voter sees the poll again, with their vote in it and a line saying it counted (or why not).
            poll_id = int(value.split(":", 1)[0])
            view = await self.bot.read(lambda session: polls.load_poll(session, poll_id))
            ctx_now = Context(self.bot.read_model.snapshot, actor, self.bot.clock(), self.bot.today())
            said = " ".join(span.text for block in result.blocks if isinstance(block, Paragraph) for span in block.line)
            card_reply = poll_card(view, ctx_now)
            card_reply = replace(card_reply, blocks=(card_reply.blocks[0], Note(spans(said)), *card_reply.blocks[1:]))
            return result, render_teams(card_reply), True
        if isinstance(result, Pressed):
            return (*await self._rerun(result, actor, channel), result.replace)
        return result, render_teams(result), False

    # -- polls -----------------------------------------------------------------------------

    async def poll_changed(self, poll_id: int, closed: bool) -> None:
        """Update the poll's cards in Teams for everyone (votes folded together); announce the outcome on close."""
        await self._polls.changed(poll_id, closed)

    async def _refresh_poll(self, poll_id: int, announce: bool) -> None:
        view = await self.bot.read(lambda session: polls.load_poll(session, poll_id))
        ctx = Context(self.bot.read_model.snapshot, Actor("teams", ""), self.bot.clock(), self.bot.today())
        card = render_teams(poll_card(view, ctx))
        for platform, conversation, activity_id in view.messages:
            if platform != "teams":
                continue
            try:
                stored = await find_conversation(self.bot.db, teams_activity.base_conversation_id(conversation))
                service_url = stored.service_url if stored is not None else DEFAULT_SERVICE_URL
                await self.app.api.conversations.update_activity(conversation, activity_id, card_message(card), service_url=service_url)
                if announce:
                    await self.app.send(conversation, card_message(render_teams(outcome_reply(view, ctx))), service_url=service_url)
            except Exception:
                log.warning(messages.log_poll_refresh_failed(poll_id, "teams"), exc_info=True)

    async def _rerun(self, pressed: Pressed, actor: Actor, channel: Channel) -> tuple[Reply, dict[str, Any]]:
        """A navigation button: its command again, as the person who clicked, at the page it names."""
        text = f"{pressed.command} public" if pressed.public else pressed.command
        reply, card = await self.bot.answer_rendered(None, text, actor, "teams", page=pressed.page, channel=channel, render_fn=render_teams)
        if pressed.public and not reply.is_error:
            shared = reply.with_blocks((Note(spans(messages.shared_by(actor.name or actor.user_id))),))
            card = render_teams(shared, pressed.page)
        return reply, card
