"""The Teams adapter: builds the microsoft-teams-apps `App` and registers its handler groups.

Each group is a module with one job: messages (`chat`), card buttons (`actions`), the stored
conversations for proactive messages (`conversations`), and poll cards (`polls`). Messages and
buttons are answered with the Adaptive Card rendering of the same reply Slack and the console get.

The SDK validates the JWT of every activity before any handler runs (Bot Framework signing keys,
audience = our app id, issuer, expiry, service URL); there is no way to turn that off here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.routing import Route

from bot import messages
from bot.bodies import BodyReader
from bot.core import Releasebot
from bot.services import Lifecycle
from bot.teams.actions import CardActions
from bot.teams.chat import Chat
from bot.teams.config import TeamsConfig
from bot.teams.conversations import Conversations
from bot.teams.http import MAX_BODY_BYTES, StarletteRoutes
from bot.teams.papers import TeamsPapers
from bot.teams.polls import TeamsPolls
from bot.teams.sdk import PUBLIC, App, CloudEnvironment, quiet_token_refusals, release_meters
from bot.teams.send import DEFAULT_SERVICE_URL, Conversation, send_card
from bot.teams.tenant import guard_tenant

__all__ = ["MESSAGING_PATH", "TeamsAdapter", "TokenSource"]

MESSAGING_PATH = "/api/messages"

# (scope, tenant id) -> a Bot Framework access token; only tests give one (the real one comes
# from Entra ID through MSAL, which refuses any authority but Microsoft's).
TokenSource = Callable[[str, str | None], str]


class TeamsAdapter:
    """Owns the Teams App and the routes the web server mounts; started and stopped as a Service."""

    def __init__(
        self,
        bot: Releasebot,
        config: TeamsConfig,
        *,
        cloud: CloudEnvironment = PUBLIC,
        token: TokenSource | None = None,
        file_hosts: frozenset[str] = frozenset(),
    ) -> None:
        self.bot = bot
        self.config = config
        settings = bot.settings
        self._routes = StarletteRoutes(
            BodyReader(MAX_BODY_BYTES, settings.body_timeout_seconds, settings.max_pending_bodies)
        )
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
        release_meters()  # before the first activity: the default provider keeps a meter per activity
        self.conversations = Conversations(bot)
        self.polls = TeamsPolls(bot, self.app)
        bot.fanout.subscribe(self.polls)
        self.papers = TeamsPapers(bot, file_hosts)  # paper files sent to the bot: preview, Apply, Cancel
        self.chat = Chat(bot, self.conversations, self.polls, self.papers)
        for group in (self.chat, CardActions(bot, self.polls, self.papers), self.conversations):
            group.register(self.app)
        self.state = Lifecycle.CREATED

    def routes(self) -> list[Route]:
        return [self._routes.route(MESSAGING_PATH)]

    async def start(self) -> None:
        """Register the SDK's JWT-checking handler on our route (no network until a request)."""
        if self.state is Lifecycle.CREATED:
            await self.app.initialize()
            guard_tenant(self.app.server, self.config.tenant_id)
        self._require_authentication()
        self.state = Lifecycle.RUNNING

    async def stop(self) -> None:
        """Handlers run inside requests, which the web server drains; files being built ahead are
        waited for, and the download client closes."""
        await self.chat.tasks.drain()
        await self.papers.close()
        self.state = Lifecycle.STOPPED

    def _require_authentication(self) -> None:
        """Fail closed if the SDK would accept an activity without validating its token."""
        if self.app.options.dangerously_allow_unauthenticated_requests is not False:
            raise RuntimeError(messages.teams_auth_off("unauthenticated requests are allowed"))
        if getattr(self.app.server, "_token_validator", None) is None:
            raise RuntimeError(messages.teams_auth_off("the SDK built no token validator"))

    async def send_card(self, conversation: Conversation, card: dict[str, Any]) -> str:
        """Post a card to a stored conversation (by id) or a conversation reference; its message id."""
        return await send_card(self.app, self.bot.db, conversation, card)
