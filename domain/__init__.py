"""The pure core: what several layers need and what does no I/O.

The Working Day calendar, words (refs, slugs, dates), kinds and rules data, the views of the
state and the `Snapshot` with its search index, reminder planning, the scope and poll rules,
and the `Reply` model with its formatting. Only the standard library and small pure libraries
(holidays, PyYAML) are imported here; the layers above (store, commands, notifiers, bot) build
on it and it knows none of them.
"""
