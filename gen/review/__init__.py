"""Review what changed between two versions of the projects: `gen diff`, the redline, CI reports."""
