"""Reading legacy extracts: encodings, CSV structure, physical line numbers."""
