"""`python -m gen` runs the command line."""

from gen.cli import run

if __name__ == "__main__":
    run()
