"""The Teams SDK (microsoft-teams-apps), imported so that importing it cannot change our auth.

`import microsoft_teams.apps` runs `load_dotenv(find_dotenv(usecwd=True))`: a `.env` file in the
working directory or any parent is copied into `os.environ`. The SDK then falls back to CLIENT_ID,
CLIENT_SECRET, TENANT_ID, CLOUD, SERVICE_URL, MANAGED_IDENTITY_CLIENT_ID and
DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS for every option it is not given, so a stray `.env`
could change who the bot is or switch inbound JWT validation off. releasebot reads its settings
from its own TEAMS_* variables only (and a `.env` only when told to), so whatever that import adds
to the environment is taken out again here, and the adapter passes every auth option explicitly.
Every other module imports the SDK through this one.
"""

from __future__ import annotations

import logging
import os
import warnings


def _import_apps_without_dotenv() -> None:
    before = dict(os.environ)
    with warnings.catch_warnings():
        # A preview feature we do not use announces itself on every import.
        warnings.filterwarnings("ignore", message=r"HtmlWidgetSecurityPolicy is in preview")
        import microsoft_teams.apps  # noqa: F401  (loads .env into os.environ)

    for key in [key for key in os.environ if key not in before]:
        del os.environ[key]
    for key, value in before.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


_import_apps_without_dotenv()

from microsoft_teams.api.activities import (  # noqa: E402
    AdaptiveCardInvokeActivity,
    ConversationUpdateActivity,
    InstalledActivity,
    MessageActivity,
    MessageActivityInput,
    UninstalledActivity,
)
from microsoft_teams.api.activities.utils import strip_mentions_text  # noqa: E402
from microsoft_teams.api.auth.cloud_environment import (  # noqa: E402
    PUBLIC,
    CloudEnvironment,
    with_overrides,
)
from microsoft_teams.api.models import (  # noqa: E402
    ActivityBase,
    Attachment,
    ConversationReference,
    InvokeResponse,
)
from microsoft_teams.apps import ActivityContext, App  # noqa: E402
from microsoft_teams.apps.http.adapter import (  # noqa: E402
    HttpMethod,
    HttpRequest,
    HttpRouteHandler,
)

__all__ = [
    "PUBLIC",
    "ActivityBase",
    "ActivityContext",
    "AdaptiveCardInvokeActivity",
    "App",
    "Attachment",
    "CloudEnvironment",
    "ConversationReference",
    "ConversationUpdateActivity",
    "HttpMethod",
    "HttpRequest",
    "HttpRouteHandler",
    "InstalledActivity",
    "InvokeResponse",
    "MessageActivity",
    "MessageActivityInput",
    "UninstalledActivity",
    "quiet_token_refusals",
    "release_meters",
    "strip_mentions_text",
    "with_overrides",
]

# The SDK logs every refused token at ERROR with the reason, which for a service-URL mismatch
# includes the request's unsanitised serviceUrl (a forged request could write forged log lines).
# The endpoint logs one short line per refusal instead (bot.teams.http).
_REFUSAL_LOGGERS = ("microsoft_teams.apps.auth.token_validator", "microsoft_teams.apps.http.http_server")
_REFUSAL_PREFIXES = (
    "Token validation failed",
    "JWT token validation failed",
    "inbound activity rejected",
    "No token provided",
    "Token missing",
    "Service URL mismatch",
    "Entra inbound token",
)


class _TokenRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_REFUSAL_PREFIXES)


def quiet_token_refusals() -> None:
    """Drop the SDK's own refusal log lines (idempotent)."""
    for name in _REFUSAL_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, _TokenRefusals) for f in logger.filters):
            logger.addFilter(_TokenRefusals())


def release_meters() -> None:
    """Set OpenTelemetry's no-op meter provider, unless the operator set a provider of their own.

    The SDK asks for a meter (and its instruments) for every activity. With no provider set, the
    OpenTelemetry API answers with its proxy provider, which keeps every meter it handed out so
    that it can wire them to a real provider set later: about 4 KB a message, never released.
    The no-op provider keeps nothing. A provider named by OTEL_PYTHON_METER_PROVIDER or set
    before the adapter starts is left alone (and then owns what it keeps).
    """
    from opentelemetry import metrics

    if type(metrics.get_meter_provider()).__name__ == "_ProxyMeterProvider":  # none set yet
        metrics.set_meter_provider(metrics.NoOpMeterProvider())
