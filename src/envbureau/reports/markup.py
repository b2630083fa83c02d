"""The text a report template renders to, and how it becomes paragraphs of runs.

Templates write plain Chinese text in blocks separated by blank lines: ``# `` starts the title,
``## `` a first-level heading, ``### `` a run-in second-level heading (the rest of that line;
the block's other lines are its paragraph); any other block is a body paragraph. Lines of a
block are joined without spaces (Chinese text), so a template may wrap long sentences.
Figures and staff-entered texts enter the text as tokens (private-use characters around an
index) that stand for runs, so no number is ever parsed back out of prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from envbureau.reports.document import Paragraph, Run

OPEN, CLOSE = "\ue000", "\ue001"
TOKEN = re.compile(f"{OPEN}(\\d+){CLOSE}")


@dataclass
class Marks:
    """Runs waiting for their place in the text, each behind a token."""

    runs: list[tuple[Run, ...]] = field(default_factory=list)

    def token(self, *runs: Run) -> str:
        self.runs.append(tuple(runs))
        return f"{OPEN}{len(self.runs) - 1}{CLOSE}"

    def expand(self, text: str) -> tuple[Run, ...]:
        """Plain text and the runs behind its tokens, in order; adjacent plain text merged."""
        out: list[Run] = []
        position = 0
        for match in TOKEN.finditer(text):
            _plain(out, text[position : match.start()])
            for run in self.runs[int(match.group(1))]:
                if run == Run(run.text):
                    _plain(out, run.text)
                else:
                    out.append(run)
            position = match.end()
        _plain(out, text[position:])
        return tuple(out)


def _plain(out: list[Run], text: str) -> None:
    if not text:
        return
    if out and out[-1] == Run(out[-1].text):  # a plain run: extend it
        out[-1] = Run(out[-1].text + text)
    else:
        out.append(Run(text))


def parse(text: str, marks: Marks) -> tuple[str, list[Paragraph]]:
    """The title (plain text) and the paragraphs of a rendered template."""
    title, paragraphs = "", []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        head = lines[0]
        if head.startswith("# "):
            title = "".join(r.text for r in marks.expand("".join([head[2:], *lines[1:]])))
        elif head.startswith("## "):
            runs = marks.expand("".join([head[3:], *lines[1:]]))
            paragraphs.append(Paragraph(runs, style="heading1"))
        elif head.startswith("### "):
            lead = "".join(r.text for r in marks.expand(head[4:]))
            paragraphs.append(Paragraph(marks.expand("".join(lines[1:])), lead=lead))
        else:
            paragraphs.append(Paragraph(marks.expand("".join(lines))))
    return title, paragraphs
