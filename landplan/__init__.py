"""landplan: industrial-land and park planning for Shenzhen (CLI and reports on geo/ + layers/)."""

__version__ = "0.1.0"
