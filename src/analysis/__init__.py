"""Year-end indicator and key-task analysis for Vietnamese local government."""

__version__ = "0.1.0"
