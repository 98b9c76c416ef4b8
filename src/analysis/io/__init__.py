"""Official tables and curated datasets in: numbers, sheets, headers, table layouts, rows, ingest (its table reader, catalogue matching, notes and result), schema, inference rules."""
