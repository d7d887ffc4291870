"""Take-away formats of the book: its PDF (whole and per chapter) and its notebooks."""
