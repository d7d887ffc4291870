"""Check that a release tag names the package's version: ``v`` + ``mnist_lessons.__version__``.

Usage: ``python .github/scripts/check_version_tag.py v0.1.0`` (the release workflow passes
``$GITHUB_REF_NAME``). Reads the version from ``mnist_lessons/__init__.py`` without importing
the package, exits 0 when the tag matches, else 1 with a sentence that says what to do.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

INIT = Path(__file__).resolve().parents[2] / "mnist_lessons" / "__init__.py"


def package_version(init: Path = INIT) -> str:
    """The string assigned to ``__version__`` in the package's ``__init__.py``."""
    for node in ast.parse(init.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__version__" for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise ValueError(f"{init} assigns no __version__")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: check_version_tag.py <tag>, e.g. v0.1.0", file=sys.stderr)
        return 2
    tag, version = argv[0].removeprefix("refs/tags/"), package_version()
    if tag != f"v{version}":
        print(
            f"The tag {tag!r} does not match the package's version {version!r}: tag the commit "
            f"v{version}, or set __version__ in mnist_lessons/__init__.py to the tag's version "
            "(without the v), commit, and tag again.",
            file=sys.stderr,
        )
        return 1
    print(f"The tag {tag} matches mnist_lessons.__version__ {version}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
