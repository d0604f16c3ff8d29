"""Results to words (text, Markdown, HTML) and the literate review of a spec; never the
solver."""
