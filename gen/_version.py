"""The version of gen: in the state file (a new version rebuilds every form) and in --version."""

__version__ = "0.1.0"
