"""Adding a source: its text, sentences and quotes, a facts skeleton, and checks across sources."""
