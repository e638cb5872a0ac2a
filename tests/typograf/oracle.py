"""The Python side of the Typograf oracle: install it from the lock, run it on a batch.

Typograf (npm `typograf`, pinned in `package-lock.json` here) runs under node through
`oracle.js`. `npm ci` installs exactly the locked version into `node_modules/` (git-ignored)
the first time, and again whenever the lock changes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOCK = HERE / "package-lock.json"
STAMP = HERE / "node_modules" / ".vestnik-lock"


class OracleUnavailable(RuntimeError):
    """node or npm is missing on this machine."""


def in_ci() -> bool:
    """Whether this run is CI's (`CI=true`, as GitHub Actions and most CI systems set it)."""
    return os.environ.get("CI", "").lower() in {"true", "1", "yes"}


def node_and_npm() -> tuple[str, str]:
    """Paths of node and npm, or `OracleUnavailable` naming what is missing."""
    node, npm = shutil.which("node") or shutil.which("nodejs"), shutil.which("npm")
    missing = [name for name, path in (("node", node), ("npm", npm)) if not path]
    if missing or node is None or npm is None:
        raise OracleUnavailable(
            f"{' and '.join(missing)} not found: install nodejs and npm "
            "(apt-get install nodejs npm) to run the Typograf oracle"
        )
    return node, npm


def ensure_installed(npm: str) -> None:
    """`npm ci` from the lock unless `node_modules` already holds exactly that lock."""
    lock = LOCK.read_text(encoding="utf-8")
    if STAMP.is_file() and STAMP.read_text(encoding="utf-8") == lock:
        return
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        check=True,
        timeout=600,
    )
    STAMP.write_text(lock, encoding="utf-8")


def typograf(texts: list[str]) -> list[str]:
    """Typograf's output for every text, in order (one node process for the batch)."""
    node, npm = node_and_npm()
    ensure_installed(npm)
    done = subprocess.run(
        [node, str(HERE / "oracle.js")],
        input=json.dumps(texts, ensure_ascii=False).encode(),
        capture_output=True,
        check=True,
        timeout=600,
    )
    result = json.loads(done.stdout)
    assert isinstance(result, list) and len(result) == len(texts)
    return [str(x) for x in result]
