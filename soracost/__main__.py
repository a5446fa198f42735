"""``python -m soracost``: the same entry point as the ``soracost`` console script."""

from soracost.cli import main

if __name__ == "__main__":
    main()
