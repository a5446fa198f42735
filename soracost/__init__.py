"""soracost: sourced electricity and water footprints of AI video generation.

Importing the package does nothing but define the version: every heavy module
(pint, PyYAML, Rich) is imported by the code that needs it, when it needs it.
"""

__version__ = "0.1.0"
