"""The errors of the client: one line each, naming the store (and the run where there is one)."""


class VAEScopeError(Exception):
    """Base class of the client's errors."""


class StoreError(VAEScopeError):
    """The file is not a usable run store (not SQLite, a directory, locked, unreadable, ...)."""


class NewerSchemaError(StoreError):
    """The store was made by a newer VAEScope: refused, and left unmodified."""


class RunError(VAEScopeError):
    """A run cannot be created or written (duplicate or invalid name, bad input, run already finished)."""
