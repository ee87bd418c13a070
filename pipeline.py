"""chitieu's command line, as a program and as a module.

``main`` is the click command group (``chitieu.cli``: ``run``, ``review``, ``match``,
``places``); ``entry`` is the ``chitieu`` program, which answers a command given again
word for word from its kept run before importing click (``chitieu.quick``).
"""
from __future__ import annotations

from chitieu.cli import main
from chitieu.quick import entry

__all__ = ["entry", "main"]

if __name__ == "__main__":
    entry()
