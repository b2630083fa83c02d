"""Which encoding a text file is in, decided so that a damaged UTF-8 file is never re-read.

Chinese spreadsheets come as UTF-8 (with or without BOM), GBK/GB18030 or UTF-16. Strict UTF-8
is tried first. A file that fails UTF-8 only at a few places while the rest is UTF-8 Chinese
text is a damaged UTF-8 file, not a GB18030 one: it is refused naming the line and column of
each bad byte sequence (rule ``file.encoding_damaged``), never imported as mojibake. Only a
file whose non-ASCII text is not UTF-8 at all is read as GB18030.
"""

from __future__ import annotations

import csv
import re

from envbureau.core.errors import ErrorDetail, RuleViolation, ValidationFailed

SUPPORTED = "支持 UTF-8、GBK/GB18030、UTF-16"
#: At most this many bad places, each outnumbered this many times by good multi-byte
#: characters, make a file "damaged UTF-8"; more bad places mean another encoding.
DAMAGED_MAX_PLACES = 20
DAMAGED_GOOD_PER_BAD = 5
_BAD_RUN = re.compile("[\udc80-\udcff]+")
_GOOD_CHAR = re.compile("[\u0800-\ud7ff\ue000-\U0010ffff]")  # decoded from 3 or 4 bytes


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """The text of ``data`` and its encoding's name; refuse binary and damaged files."""
    utf32 = data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not utf32:
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _unknown(file_name, "UTF-16 内容不完整") from exc
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise RuleViolation(
            f"无法识别文件编码：第 {line} 行含有空字节（NUL），文件是二进制内容（{SUPPORTED}）",
            code="file.encoding_unknown",
            loc=(file_name, line),
        )
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="surrogateescape")
    bad = list(_BAD_RUN.finditer(text))
    good = len(_GOOD_CHAR.findall(text))
    if len(bad) <= DAMAGED_MAX_PLACES and good >= DAMAGED_GOOD_PER_BAD * len(bad):
        raise _damaged(text, bad, file_name)
    if good >= len(bad):  # GBK text decodes to ~1 good character per 10 bad places
        raise _damaged(text, bad[:DAMAGED_MAX_PLACES], file_name, mixed=len(bad))
    del text
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise _unknown(file_name, "") from exc


def _unknown(file_name: str, why: str) -> RuleViolation:
    reason = f"{why}；" if why else ""
    return RuleViolation(
        f"无法识别文件编码（{reason}{SUPPORTED}）", code="file.encoding_unknown", loc=(file_name,)
    )


def _damaged(
    text: str, bad: list[re.Match[str]], file_name: str, *, mixed: int = 0
) -> ValidationFailed:
    """One error per bad place: its line, the column it falls in, and the bytes.

    ``mixed``: the file mixes UTF-8 with another encoding at that many places (the first
    ``DAMAGED_MAX_PLACES`` are listed).
    """
    code, why = "file.encoding_damaged", "UTF-8 文件在此处有损坏的字节"
    if mixed:
        code, why = "file.encoding_mixed", "文件混用了 UTF-8 和其他编码（如 GBK），此处不是 UTF-8"
    header = _fields(text.split("\n", 1)[0])
    details = []
    for match in bad:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.start())
        line_text = text[start : end if end >= 0 else len(text)]
        line = text.count("\n", 0, match.start()) + 1
        before = _fields(line_text[: match.start() - start])
        index = max(len(before) - 1, 0)
        column = header[index] if index < len(header) and line > 1 else f"第 {index + 1} 列"
        shown = " ".join(f"{ord(ch) - 0xDC00:02X}" for ch in match.group())
        details.append(
            ErrorDetail(
                (file_name, line, column),
                code,
                f"{why}（{shown}），文件其余部分是 UTF-8；"
                "请从原始数据重新导出，不会按其他编码猜测读取",
                value=line_text.encode("utf-8", errors="replace").decode("utf-8")[:80],
            )
        )
    summary = f"文件“{file_name}”的 UTF-8 编码已损坏"
    if mixed:
        summary = f"文件“{file_name}”混用了多种编码（{mixed} 处不是 UTF-8，列出前 {len(bad)} 处）"
    return ValidationFailed(details=details, summary=summary)


def _fields(line: str) -> list[str]:
    delimiter = "\t" if line.count("\t") > line.count(",") else ","
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return line.split(delimiter)
