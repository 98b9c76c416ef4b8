"""What a notebook shows: unit contexts, HTML tables, charts, text views, and the record it leaves for the build."""
