"""The Textual app. Only code under ``reader.ui`` imports Textual."""
