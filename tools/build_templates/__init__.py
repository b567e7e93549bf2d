"""The scaffolding of the Word templates in templates_docx/: `docx_layout` holds the
Nghị định 30/2020 layout helpers, `__main__` lays out each template with them.
Run once with `python -m tools.build_templates`; after that the .docx files are the
source and the office edits them in Word."""
