"""Writing an import template: the Chinese headers of a schema and a sheet that explains them.

Every text cell goes through ``core.exporting.neutralise_cell`` like any table the project
writes, so no header, rule or alias is ever read by a spreadsheet as a formula."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from envbureau.core.exporting import neutralise_cell
from envbureau.core.importing.schema import TableSchema

KIND_WORDS = {
    "text": "文本",
    "int": "整数",
    "float": "数字",
    "date": "日期（2026-06-30）",
    "datetime": "时间（2026-06-30 14:00）",
    "bool": "是/否",
    "choice": "选项",
}


def write_template(schema: TableSchema, path: Path) -> Path:
    """An .xlsx with the header row to fill in and a 填写说明 sheet (type, required, rule)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = schema.label
    sheet.append([neutralise_cell(c.label) for c in schema.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, column in enumerate(schema.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, 2 * len(column.label) + 4)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "字段", "类型", "必填", "规则", "也可用的表头"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in schema.columns:
        rule = column.pattern_rule or column.help
        if column.choices:
            rule = "可选：" + "、".join(dict.fromkeys(column.choices))
        if column.minimum is not None or column.maximum is not None:
            rule = (
                f"范围 {column.minimum if column.minimum is not None else ''}～"
                f"{column.maximum if column.maximum is not None else ''}{column.unit}"
            )
        row = [
            column.label,
            column.name,
            KIND_WORDS[column.kind],
            "是" if column.required else "否",
            rule,
            "、".join(column.aliases),
        ]
        notes.append([neutralise_cell(v) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
