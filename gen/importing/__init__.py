"""Reading existing Word forms: into project files (gen import), or into a template (gen template)."""
