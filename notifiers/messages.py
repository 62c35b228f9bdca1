"""The sentences of the reminder feature: reminders and their notices, subscriptions, the
reminder buttons, vote reminders, and the log lines of planning and delivery (never secrets)."""

from __future__ import annotations

from collections.abc import Sequence

from commands.messages import did_you_mean

__all__ = [
    "cancelled_notice",
    "countdown",
    "delivery_failed",
    "delivery_failed_advice",
    "done_needs_admin",
    "log_bad_subscription",
    "log_dispatch_error",
    "log_lost_claim",
    "log_lost_claim_unposted",
    "log_plan_error",
    "log_poll_check_failed",
    "log_poll_closed",
    "log_report_failed",
    "log_send_outcome",
    "milestone_gone",
    "moved_notice",
    "no_sender",
    "no_subscriptions",
    "reminder_gone",
    "reminder_scope",
    "reminder_why",
    "snooze_too_late",
    "snoozed",
    "subscribe_needs_admin",
    "subscribe_needs_channel",
    "unknown_kinds",
    "vote_reminder",
    "vote_reminder_why",
    "webhook_needs_admin",
    "webhook_not_allowed",
]


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
    return (
        f"{listed} {'is neither a milestone kind nor a release' if len(words) == 1 else 'are not milestone kinds'}."
        + (" " + did_you_mean(suggestions) if suggestions else "")
    )


def no_subscriptions(where: str) -> str:
    return f"{where} gets no reminders. `/release subscribe` starts them."


def webhook_needs_admin() -> str:
    return "Only release admins can send reminders through a webhook."


def webhook_not_allowed(platform: str, hosts: tuple[str, ...]) -> str:
    where = ", ".join(h.lstrip(".") for h in hosts)
    return f"That {platform} webhook is not one I may post to: it must be an https address on {where}."


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


def vote_reminder(name: str, closes: str, left: str) -> str:
    return f"{name}, you have not voted yet. The poll closes {closes} ({left}); the last vote you cast counts."


def vote_reminder_why() -> str:
    return "You get this because you are a Panel member and have not voted; it stops once you vote."


def no_sender(platform: str) -> str:
    how = (
        "set SLACK_BOT_TOKEN, or give the subscription a slack-webhook"
        if platform == "slack"
        else "give the subscription a teams-webhook"
    )
    return f"no_sender: nothing is set up to post to {platform} channels ({how})"


def delivery_failed(where: str, title: str, error: str) -> str:
    return f"I could not post the reminder “{title}” to {where}: `{error}`."


def delivery_failed_advice(error: str, where: str) -> str:
    if error in ("not_in_channel", "channel_not_found", "is_archived", "channel_is_archived"):
        return (
            f"Invite me to {where} (`/invite @releasebot`), or stop its reminders with `/release unsubscribe {where}`."
        )
    if error in ("invalid_auth", "token_revoked", "account_inactive", "not_authed", "missing_scope"):
        return "Check the bot token (SLACK_BOT_TOKEN) and its chat:write scope."
    return f"Check the subscription of {where} (`/release subscriptions all`)."


def log_send_outcome(key: str, where: str, status: str, error: str) -> str:
    return f"delivery {key} to {where}: {status}{' (' + error + ')' if error else ''}"


def log_lost_claim_unposted(key: str) -> str:
    return f"delivery {key}: the claim passed to another worker while waiting to post; not posted here"


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


def log_poll_closed(poll_id: int) -> str:
    return f"closed poll #{poll_id} at its deadline"


def log_poll_check_failed() -> str:
    return "checking for polls to close failed; will try again"
