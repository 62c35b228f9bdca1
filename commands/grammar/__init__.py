"""The grammar of the command language: the word tables (`book`), the reading helpers every
word's parser shares (`reading`), and one module of word parsers per command family.

Features register their words into the command table (`commands.table.CommandTable`), so the
table is the one list of what the bot understands as well as of what it does.
"""
