"""Spans -> the inline markup of each target, escaping user text exactly once."""

from __future__ import annotations

from domain.reply import Span, Spans

__all__ = ["markdown", "mrkdwn", "plain"]

_SLACK_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\*_[]`#>~|"})


def _slack(span: Span) -> str:
    text = span.text.translate(_SLACK_ESCAPES)
    if not text.strip():
        return text
    if span.style == "b":
        return f"*{text.replace('*', '∗')}*"
    if span.style == "i":
        return f"_{text.replace('_', ' ')}_"
    if span.style == "code":
        return f"`{text.replace('`', 'ˋ')}`"
    if span.style == "link":
        url = span.url.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
        return f"<{url}|{text.replace('|', '¦')}>"
    return text


def mrkdwn(line: Spans) -> str:
    """Slack mrkdwn: `*bold*`, `_italic_`, `<url|label>`; &, <, > escaped so nobody is pinged."""
    return "".join(_slack(s) for s in line)


def _md(span: Span) -> str:
    text = span.text.translate(_MD_ESCAPES)
    if not text.strip():
        return text
    if span.style == "b":
        return f"**{text}**"
    if span.style == "i":
        return f"_{text}_"
    if span.style == "code":
        return f"**{text}**"
    if span.style == "link":
        url = span.url.replace(")", "%29").replace(" ", "%20")
        return f"[{text}]({url})"
    return text


def markdown(line: Spans) -> str:
    """The markdown subset Adaptive Card TextBlocks show in Teams."""
    return "".join(_md(s) for s in line)


def plain(line: Spans) -> str:
    """Terminal text: links keep their address after the label."""
    parts = []
    for s in line:
        if s.style == "link":
            parts.append(f"{s.text} <{s.url}>")
        elif s.style == "code":
            parts.append(f"`{s.text}`")
        else:
            parts.append(s.text)
    return "".join(parts)
