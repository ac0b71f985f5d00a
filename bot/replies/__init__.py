"""What the bot and the command line say, in French: answers (`answers`), what the library knows
of an article (`cards`), links that land on a quote (`quote_links`), the words they are
written with (`wording`), the upkeep commands' replies (`upkeep`), and `--json`'s objects
(`json_forms`)."""
