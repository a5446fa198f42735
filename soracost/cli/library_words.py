"""The words Typer writes itself, marked once for soracost's catalogue.

soracost draws its help itself (:mod:`soracost.cli.help`, with the same words, marked
there), so the help's words below are no longer Typer's to print; they stay listed so
that any word the installed Typer can print is known to be translated. Typer looks these
up with gettext's global functions (``typer/core.py`` and ``typer/rich_utils.py``), in
the domain soracost installs for a French run
(:func:`soracost.i18n.speak_for_libraries`). They are listed here so that extraction
puts them in ``soracost.po``; tests/test_library_words.py extracts the messages of the
installed Typer and fails if one is missing here, or has no French translation. Nothing
imports this module: it exists to be read by the extractor.

The rest of what Click (vendored in Typer) writes in English, with no gettext call, is
in the run's language by other means: the usage line's "Usage:" (``format_usage``) and
the usage errors (:mod:`soracost.cli.usage_errors`).
"""

from soracost.i18n import N_

TYPER_WORDS = (
    # typer/rich_utils.py: the help's panels and the marks after an option's help
    N_("(deprecated) "),
    N_("[default: {}]"),
    N_("[env var: {}]"),
    N_("[required]"),
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("Error"),
    N_("Aborted."),
    N_("Try [blue]'{command_path} {help_option}'[/] for help."),
    # typer/core.py: the same marks without Rich, and a group's own errors
    N_("(dynamic)"),
    N_("Aborted!"),
    N_("default: {default}"),
    N_("required"),
    N_("env var: {var}"),
    N_("Missing command."),
    N_("No such command {name!r}."),
)
"""Typer's own messages, as Typer 0.28 writes them (its msgids, character for
character)."""
