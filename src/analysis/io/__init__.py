"""Official tables and curated datasets in: numbers, sheets, headers, table layouts, rows, ingest, schema, inference rules."""
