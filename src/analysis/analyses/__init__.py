"""Pure analyses on pandas frames: evaluation, targets and gaps, key tasks, audit, communes."""
