"""Spans -> the inline markup of each target, escaping user text exactly once."""

from __future__ import annotations

from functools import lru_cache

from domain.reply import Span, Spans

__all__ = ["markdown", "mrkdwn", "plain"]

_SLACK_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\*_[]`#>~|"})


def _slack_escape(text: str) -> str:
    # str.translate with a table looks up every character; three guarded replaces cost a scan.
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


def _slack(span: Span) -> str:
    text = _slack_escape(span.text)
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


@lru_cache(maxsize=16384)
def _mrkdwn(line: Spans) -> str:
    return "".join(_slack(s) for s in line)


def mrkdwn(line: Spans) -> str:
    """Slack mrkdwn: `*bold*`, `_italic_`, `<url|label>`; &, <, > escaped so nobody is pinged.

    Remembered per line (spans are immutable): the same modification's line recurs in answer
    after answer, and each is measured for the layout before it is rendered."""
    try:
        return _mrkdwn(tuple(line))
    except TypeError:  # a span that cannot be hashed: render it every time
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
