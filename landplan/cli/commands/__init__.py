"""One module per ``landplan`` command, each with ``register(subparsers)`` (its arguments and help)
and ``run(args)``; :data:`landplan.cli.main.COMMANDS` lists them."""
