"""The one error a document request can end in: something the user asked for does not exist."""

from __future__ import annotations

__all__ = ["DocumentError"]


class DocumentError(ValueError):
    """Unknown release, version or month: the message is one line for the user, never a traceback."""
