"""`python -m bot` runs the releasebot command line."""

from bot.cli import main

main()
