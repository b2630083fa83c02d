"""Template text → paragraphs of runs: headings, run-in heads, tokens standing for figures."""

from __future__ import annotations

from envbureau.reports.document import Paragraph, Run
from envbureau.reports.markup import Marks, parse


def test_blocks_become_title_headings_and_paragraphs() -> None:
    marks = Marks()
    figure = marks.token(Run("95.6", figure="F001"))
    missing = marks.token(Run("【数据不足：没有数据】", missing=True))
    text = (
        "# 示范市生态环境局工作报告\n\n"
        "开头一段，\n分两行写。\n\n"
        "## 一、上半年工作进展情况\n\n"
        "### （一）狠抓“治水”工作。\n"
        f"优良率{figure}%，\n"
        f"PM2.5为{missing}。\n"
    )
    title, paragraphs = parse(text, marks)
    assert title == "示范市生态环境局工作报告"
    assert paragraphs[0] == Paragraph((Run("开头一段，分两行写。"),))
    assert paragraphs[1].style == "heading1" and paragraphs[1].text == "一、上半年工作进展情况"
    third = paragraphs[2]
    assert third.lead == "（一）狠抓“治水”工作。"
    assert third.runs == (
        Run("优良率"),
        Run("95.6", figure="F001"),
        Run("%，PM2.5为"),
        Run("【数据不足：没有数据】", missing=True),
        Run("。"),
    )


def test_a_token_may_stand_for_several_runs_and_plain_text_merges() -> None:
    marks = Marks()
    clause = marks.token(Run("完成整治企业", record="WR1"), Run("126", figure="F002", record="WR1"))
    _, (paragraph,) = parse(f"上半年{clause}家，{marks.token(Run('另'))}有其他。", marks)
    assert paragraph.runs == (
        Run("上半年"),
        Run("完成整治企业", record="WR1"),
        Run("126", figure="F002", record="WR1"),
        Run("家，另有其他。"),
    )
