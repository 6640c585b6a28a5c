"""One module per `quiztui` subcommand, each with `add_arguments(parser)` and `run(args) -> int`.

`quiztui.cli` imports a command's module only when that command runs, so `quiztui --help` and
`quiztui validate` stay fast and never load the app.
"""
