"""`python -m gen` runs the command line."""

from gen.cli import main

if __name__ == "__main__":
    main()
