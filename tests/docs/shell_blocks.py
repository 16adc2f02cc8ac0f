"""The runnable shell blocks of the docs, and what running one means.

A block is runnable when the line right above its fence is `<!-- runnable -->` (invisible once rendered) and
its language is `sh`, `bash` or `console` (a `console` block runs its `$ ` lines only). It must work when
pasted into a terminal right after `make run`: the test runs it with `bash` under `set -euo pipefail`, with
`curl` made to fail on an HTTP error (`--fail-with-body`), against the systems on shifted ports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MARKER = "<!-- runnable -->"
LANGUAGES = ("sh", "bash", "console")
_PORT = re.compile(r"\b(localhost|127\.0\.0\.1):(800[0-9])\b")
PRELUDE = 'set -euo pipefail\ncurl() { command curl --fail-with-body "$@"; }\n'


@dataclass(frozen=True)
class Block:
    """One runnable block: where it is and its script."""

    doc: str
    line: int
    script: str


def runnable_blocks(path: Path, root: Path) -> list[Block]:
    """The blocks of one Markdown file that carry the marker."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        fence = lines[index].strip()
        if fence.startswith("```") and fence[3:].strip() in LANGUAGES:
            end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
            if index > 0 and lines[index - 1].strip() == MARKER:
                body = lines[index + 1 : end]
                if fence[3:].strip() == "console":
                    body = [line[2:] for line in body if line.startswith("$ ")]
                blocks.append(Block(str(path.relative_to(root)), index + 1, "\n".join(body) + "\n"))
            index = end
        index += 1
    return blocks


def shift_ports(script: str, offset: int) -> str:
    """The script with every default port (8000-8009 on this host) moved by `offset`."""
    return _PORT.sub(lambda match: f"{match.group(1)}:{int(match.group(2)) + offset}", script)
