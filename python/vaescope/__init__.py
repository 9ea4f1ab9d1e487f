"""VAEScope's Python client: log a training run into a VAEScope run store (SQLite) in three lines.

    import vaescope
    with vaescope.run("runs.sqlite", name="torch-max-pool", config={"pooling": "max"}) as run:
        run.log(step, split="train", kl=kl.item(), reconstruction=rec.item())

Then `vaescope runs list --db runs.sqlite` and `vaescope report --db runs.sqlite --out site`. See
python/README.md. Standard library only; NumPy is imported by the array methods (log_latents) when used.
"""
from ._version import __version__
from .errors import NewerSchemaError, RunError, StoreError, VAEScopeError
from .writer import Run, run
from .schema import VERSION as SCHEMA_VERSION

__all__ = ["run", "Run", "VAEScopeError", "StoreError", "NewerSchemaError", "RunError", "SCHEMA_VERSION",
           "__version__"]
