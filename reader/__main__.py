"""Allow ``python -m reader`` as well as the ``khabar`` console script."""

from reader.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
