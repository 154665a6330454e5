"""The document model to files: Word, Markdown and PDF, each written whole or not at all."""
