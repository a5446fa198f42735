"""The command line: options, commands, delivery of outputs and exit codes."""
