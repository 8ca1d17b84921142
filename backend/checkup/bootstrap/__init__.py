"""The composition root: builders that turn settings into clients (and, in dev, the sandbox's test keys).

Only ``checkup.app`` and the CLI import from here; services receive what is built through ``Deps`` and
never import the sandbox (the import rules in ``.importlinter`` check it).
"""
