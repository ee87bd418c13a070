"""``python -m chitieu``: the ``chitieu`` program."""
from chitieu.quick import entry

entry()
