"""Every sentence the bot says when something is wrong or refused, in one place.

Handlers and adapters call these functions instead of writing their own text, so the tone stays
the same everywhere and a wording change is one edit.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "_lead_list",
    "cancelled_notice",
    "countdown",
    "delivery_failed",
    "delivery_failed_advice",
    "did_you_mean",
    "done_needs_admin",
    "internal_error",
    "log_bad_subscription",
    "log_dispatch_error",
    "log_event_dedupe_failed",
    "log_lost_claim",
    "log_plan_error",
    "log_poll_check_failed",
    "log_poll_closed",
    "log_poll_refresh_failed",
    "log_report_failed",
    "log_response_url_failed",
    "log_send_outcome",
    "log_slack_listener_failed",
    "log_slack_refused",
    "log_teams_disabled",
    "log_teams_handler_failed",
    "log_teams_refused",
    "log_teams_send_failed",
    "milestone_gone",
    "moved_notice",
    "new_mod_needs_title",
    "no_history_before",
    "no_platform",
    "no_poll",
    "no_sender",
    "no_subscriptions",
    "no_such_milestone_kind",
    "no_such_time",
    "not_admin",
    "not_changed",
    "not_member",
    "poll_already_closed",
    "poll_needs_close",
    "poll_not_posted",
    "poll_posted",
    "redacted",
    "reminder_gone",
    "reminder_scope",
    "reminder_why",
    "shared_by",
    "snooze_too_late",
    "snoozed",
    "span_too_long",
    "store_unavailable",
    "subscribe_needs_admin",
    "subscribe_needs_channel",
    "teams_auth_off",
    "teams_not_installed",
    "teams_setting_missing",
    "teams_user_id_invalid",
    "unknown_button",
    "unknown_glossary_term",
    "unknown_kinds",
    "unknown_mod",
    "unknown_release",
    "vote_counted",
    "vote_not_member",
    "vote_reminder",
    "vote_reminder_why",
    "webhook_needs_admin",
    "webhook_not_allowed",
    "worker_started",
    "worker_without_token",
    "working_on_it",
]


def no_such_time(at: str, on: str) -> str:
    return f"{at} does not exist in London on {on}: the clocks go forward that night. Pick another time."


def span_too_long() -> str:
    return "I count Working Days over at most a hundred years at a time."


def redacted(text: str) -> str:
    """A command as typed, fit for a log or a reply: webhook addresses (secrets) replaced."""
    return " ".join("<webhook>" if w.lower().startswith(("slack-webhook=", "teams-webhook=")) else w for w in text.split())


def did_you_mean(options: Sequence[str]) -> str:
    if not options:
        return ""
    quoted = [f"`{o}`" for o in options]
    if len(quoted) == 1:
        return f"Did you mean {quoted[0]}?"
    return f"Did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


def unknown_release(slug: str) -> str:
    return f"There is no release `{slug}`."


def unknown_mod(ref: str) -> str:
    return f"I don't know the modification `{ref}`."


def unknown_glossary_term(term: str) -> str:
    return f"`{term}` is not in the glossary."


def no_such_milestone_kind(kind: str, kinds: Sequence[str]) -> str:
    return f"`{kind}` is not a milestone kind. Kinds: {', '.join(kinds)}."


def no_history_before(name: str, day: str) -> str:
    return f"No scope is recorded for {name} on or before {day}."


def new_mod_needs_title(ref: str, slug: str) -> str:
    return f'{ref} is new to me: give its title, e.g. `/release {slug} add {ref} "Title"`.'


def not_admin(name: str) -> str:
    return f"Sorry {name}, only release admins can change release state. You can still ask anything."


def not_member() -> str:
    return (
        "Sorry, only release admins can change release state, and I don't know you yet. "
        "An admin can add you with `releasebot members add <your user id> --role admin`."
    )


def unknown_button() -> str:
    return "That button no longer does anything here; ask again."


def store_unavailable() -> str:
    return "The release store is unavailable right now; please try again in a minute."


def internal_error(reference: str) -> str:
    return f"Something went wrong on my side (reference `{reference}`). Nothing was changed; please try again."


def working_on_it() -> str:
    return "⏳ Working on it…"


def shared_by(name: str) -> str:
    return f"Shared by {name}"


def not_changed() -> str:
    return "Nothing was changed."


def webhook_needs_admin() -> str:
    return "Only release admins can send reminders through a webhook."


def webhook_not_allowed(platform: str, hosts: tuple[str, ...]) -> str:
    where = ", ".join(h.lstrip(".") for h in hosts)
    return f"That {platform} webhook is not one I may post to: it must be an https address on {where}."


def no_platform(command: str) -> str:
    return (
        f"SLACK_BOT_TOKEN is not set (needed by `releasebot {command}` for Slack; "
        "or set TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID to serve Teams alone)"
    )


def no_poll(slug: str) -> str:
    return f"There is no poll for `{slug}` yet. An admin can open one with `/release {slug} vote open`."


def poll_posted(poll_id: int) -> str:
    return f"Poll #{poll_id} is open and posted in this channel."


def poll_not_posted(poll_id: int, error: str) -> str:
    hint = " Invite me first: `/invite @releasebot`." if error in ("not_in_channel", "channel_not_found") else ""
    return f"Poll #{poll_id} is open, but I could not post it here ({error}).{hint} Members can still vote with `/release <release> vote go`."


def poll_needs_close(slug: str) -> str:
    return f"When should the poll close? `{slug}` has no go/no-go milestone ahead: `/release {slug} vote open closes <date> [time]`."


def poll_already_closed(poll_id: int) -> str:
    return f"Poll #{poll_id} is already closed."


def vote_not_member() -> str:
    return "Sorry, only Panel members can vote, and I don't know you yet."


def vote_reminder(name: str, closes: str, left: str) -> str:
    return f"{name}, you have not voted yet. The poll closes {closes} ({left}); the last vote you cast counts."


def vote_reminder_why() -> str:
    return "You get this because you are a Panel member and have not voted; it stops once you vote."


def vote_counted(choice: str, release: str, closes: str) -> str:
    return f"Your vote on {release}: {choice}. You can change it until the poll closes ({closes})."
def teams_user_id_invalid(raw: str) -> str:
    return (
        f"`{raw[:80]}` is not a Teams user id: give the person's Entra object id, a GUID "
        "(Entra admin centre → Users → the person → Object ID)."
    )


def teams_not_installed(conversation_id: str) -> str:
    return f"releasebot is not installed in the Teams conversation {conversation_id[:120]}"


def teams_auth_off(reason: str) -> str:
    return f"Teams will not serve /api/messages: {reason}; every activity's token must be validated"


def teams_setting_missing(missing: str, given: str) -> str:
    return f"{missing} is not set ({given} is; Teams needs TEAMS_CLIENT_ID, TEAMS_CLIENT_SECRET and TEAMS_TENANT_ID)"


# -- log lines (never secrets, never whole request bodies) --------------------------------


def log_slack_refused(reason: str, client: str) -> str:
    return f"refused a request to /slack/events from {client}: {reason}"


def log_event_dedupe_failed(event_id: str) -> str:
    return f"could not record Slack event {event_id}; answering it anyway"


def log_slack_listener_failed(error: str, kind: str) -> str:
    return f"Slack listener failed with {error} on a {kind} request"


def log_response_url_failed(status: str, attempt: int) -> str:
    return f"posting to a response_url failed ({status}), attempt {attempt}"


def log_poll_closed(poll_id: int) -> str:
    return f"closed poll #{poll_id} at its deadline"


def log_poll_check_failed() -> str:
    return "checking for polls to close failed; will try again"


def log_poll_refresh_failed(poll_id: int, platform: str) -> str:
    return f"updating the message of poll #{poll_id} on {platform} failed"
# -- reminders -------------------------------------------------------------------------


def countdown(working_days_left: int, is_today: bool) -> str:
    if is_today:
        return "today"
    if working_days_left <= 0:
        return "next, before any Working Day"
    return f"in {working_days_left} Working Day{'s' if working_days_left != 1 else ''}"


def _lead_list(leads: Sequence[int]) -> str:
    """`5, 1 and 0 Working Days before`."""
    if not leads:
        return "no reminders"
    numbers = [str(n) for n in leads]
    joined = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
    return f"{joined} Working Day{'' if tuple(leads) == (1,) else 's'} before"


def reminder_scope(release: str | None, kinds: Sequence[str], leads: Sequence[int]) -> str:
    """What a subscription covers, e.g. `June 2022 SEC Release · go_live, go_no_go · 5, 1 and 0 Working Days before`."""
    what = ", ".join(kinds) if kinds else "every kind the rules remind"
    when = _lead_list(leads) if leads else "lead times as the rules say"
    return f"{release or 'every release'} · {what} · {when}"


def reminder_why(where: str, scope: str) -> str:
    return f"Posted to {where}, subscribed to: {scope}. `/release unsubscribe` stops these."


def moved_notice(title: str, before: str, after: str) -> str:
    return f"“{title}” moved from {before} to {after}."


def cancelled_notice(title: str, when: str) -> str:
    return f"“{title}”, planned for {when}, is cancelled; its reminders are withdrawn."


def subscribe_needs_channel() -> str:
    return "Which channel? Run this in the channel, or name it: `/release subscribe #channel [<release>|all]`."


def subscribe_needs_admin(name: str) -> str:
    return (
        f"Sorry {name}, only release admins can set up reminders for a channel. "
        "In a direct message with me anyone can: `/release subscribe` there."
    )


def unknown_kinds(words: Sequence[str], suggestions: Sequence[str]) -> str:
    listed = ", ".join(f"`{w}`" for w in words)
    return f"{listed} {'is neither a milestone kind nor a release' if len(words) == 1 else 'are not milestone kinds'}." + (
        " " + did_you_mean(suggestions) if suggestions else ""
    )


def no_subscriptions(where: str) -> str:
    return f"{where} gets no reminders. `/release subscribe` starts them."


def done_needs_admin(name: str) -> str:
    return f"Sorry {name}, only release admins can mark a milestone done. Snooze works for everyone."


def milestone_gone() -> str:
    return "That milestone is no longer in the release store."


def reminder_gone() -> str:
    return "That reminder is no longer in the outbox."


def snoozed(until: str) -> str:
    return f"😴 Snoozed: I'll remind you again on {until}."


def snooze_too_late(deadline: str) -> str:
    return f"The deadline is {deadline}: a reminder 1 Working Day from now would come after it."


def no_sender(platform: str) -> str:
    how = "set SLACK_BOT_TOKEN, or give the subscription a slack-webhook" if platform == "slack" else "give the subscription a teams-webhook"
    return f"no_sender: nothing is set up to post to {platform} channels ({how})"


def worker_started() -> str:
    return "releasebot worker: reminders running (SIGTERM or Ctrl-C stops it after the posts in flight)"


def worker_without_token() -> str:
    return "releasebot worker: SLACK_BOT_TOKEN is not set; only subscriptions with a webhook can be posted to"


def delivery_failed(where: str, title: str, error: str) -> str:
    return f"I could not post the reminder “{title}” to {where}: `{error}`."


def delivery_failed_advice(error: str, where: str) -> str:
    if error in ("not_in_channel", "channel_not_found", "is_archived", "channel_is_archived"):
        return f"Invite me to {where} (`/invite @releasebot`), or stop its reminders with `/release unsubscribe {where}`."
    if error in ("invalid_auth", "token_revoked", "account_inactive", "not_authed", "missing_scope"):
        return "Check the bot token (SLACK_BOT_TOKEN) and its chat:write scope."
    return f"Check the subscription of {where} (`/release subscriptions all`)."


def log_send_outcome(key: str, where: str, status: str, error: str) -> str:
    return f"delivery {key} to {where}: {status}{' (' + error + ')' if error else ''}"


def log_lost_claim(key: str) -> str:
    return f"delivery {key}: the claim expired before the outcome was recorded; another worker may post it again"


def log_bad_subscription(subscription_id: int) -> str:
    return f"subscription #{subscription_id} has settings no longer accepted; it is left out of planning"


def log_dispatch_error(key: str) -> str:
    return f"delivery {key}: unexpected error while sending; will retry"


def log_plan_error() -> str:
    return "reminder planning failed; will try again"


def log_report_failed(channel: str) -> str:
    return f"could not post a delivery failure report to the admin channel {channel}"
def log_teams_disabled(variables: Sequence[str]) -> str:
    return f"Teams is off: {', '.join(variables)} are not set"


def log_teams_refused(status: int, client: str) -> str:
    return f"refused a request to /api/messages from {client}: {status}"


def log_teams_handler_failed(error: str, kind: str) -> str:
    return f"Teams handler failed with {error} on a {kind} activity"


def log_teams_send_failed(status: str, conversation_id: str) -> str:
    return f"sending to Teams conversation {conversation_id[:120]} failed ({status})"
