"""The year-end run: planner, executors, packs, warm kernels, fingerprints, manifest, HTML and PDF."""
