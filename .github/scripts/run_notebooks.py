"""Run chapters' notebooks one after another, each in a fresh kernel, and report which failed.

The weekly Colab workflow (``.github/workflows/colab.yml``) runs this inside Colab's runtime
image on the notebooks the site publishes (the ``notebooks`` branch)::

    python3 run_notebooks.py --notebooks notebooks --out executed preface neuron ...

Each ``<chapter>.ipynb`` runs as a reader runs it on Colab: top to bottom, its first cell
installing the companion package at the book's version. The executed notebooks go to ``--out``
with ``summary.md``, a Markdown table of every chapter (passed or failed, seconds, and for a
failure the cell and the error), which the workflow posts as an issue. Exit status 1 when any
chapter failed or is missing; every chapter runs either way.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def run_one(path: Path, out: Path, timeout: int) -> str | None:
    """Execute ``path`` in a fresh ``python3`` kernel, write it to ``out``; the error or None."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        failing = [
            index
            for index, cell in enumerate(notebook.cells)
            if any(output.get("output_type") == "error" for output in cell.get("outputs", []))
        ]
        where = f"cell {failing[0]}" if failing else "a cell"
        return f"{where}: {error.ename}: {error.evalue}"
    except (CellTimeoutError, DeadKernelError) as error:
        return f"{type(error).__name__}: {str(error).splitlines()[0]}"
    finally:
        nbformat.write(notebook, out / path.name)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notebooks", type=Path, required=True, help="folder of <chapter>.ipynb")
    parser.add_argument("--out", type=Path, required=True, help="folder for the executed ones")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    parser.add_argument("chapters", nargs="+", help="chapter names, e.g. neuron first_network")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    rows, failed = [], []
    for chapter in args.chapters:
        path = args.notebooks / f"{chapter}.ipynb"
        print(f"::group::{chapter}", flush=True)
        start = time.monotonic()
        if path.is_file():
            error = run_one(path, args.out, args.timeout)
        else:
            error = f"no {path.name} in {args.notebooks} (is the notebooks branch up to date?)"
        seconds = time.monotonic() - start
        print(f"{chapter}: {'passed' if error is None else 'FAILED: ' + error}", flush=True)
        print("::endgroup::", flush=True)
        if error is not None:
            failed.append(chapter)
        if error is not None:
            error = " ".join(error.split())[:300].replace("|", "\\|")  # one table cell
        result = "passed" if error is None else f"**failed**: {error}"
        rows.append(f"| {chapter} | {result} | {seconds:.0f} |")

    summary = [
        f"{len(args.chapters) - len(failed)} of {len(args.chapters)} notebooks ran; "
        + (f"failed: {', '.join(failed)}." if failed else "none failed."),
        "",
        "| chapter | result | seconds |",
        "|---|---|---|",
        *rows,
    ]
    (args.out / "summary.md").write_text("\n".join(summary) + "\n")
    print("\n".join(summary))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
