"""Official tables and curated datasets in: numbers, table layouts, ingest, schema, inference rules."""
