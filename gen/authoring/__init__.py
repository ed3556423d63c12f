"""Tools for writing project files: gen new, gen rollover, the editor JSON Schema, field help."""
