"""Command line: ``python -m generator COMMAND``. Run with ``--help`` for the commands."""

from generator.cli import run

if __name__ == "__main__":
    run()
