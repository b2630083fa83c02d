"""Chinese words for what an indicator value carries: where it came from and its provenance keys.

Pages, the API and the command line show the same words; a key a provider writes that is not
listed here is shown as it is.
"""

from __future__ import annotations

#: How a value was obtained (``IndicatorValue.source``, and a definition's own way).
SOURCE_WORDS = {"computed": "系统计算", "manual": "人工填报"}

#: Chinese names of the provenance keys the providers write (unknown keys are shown as-is).
PROVENANCE_LABELS = {
    "sections": "评价断面",
    "passing": "达标断面",
    "classes": "时段水质类别",
    "grades": "考核等级",
    "limiting_items": "定类项目",
    "listed": "消劣清单断面",
    "last_year_classes": "上一年度水质类别",
    "stations": "参与评价的站点",
    "units": "参与统计的单位",
    "days_by_category": "各级别天数",
    "dust_days": "沙尘天数",
    "editions_used": "采用的标准版本（天数）",
    "manual_entry_id": "填报记录编号",
    "revision": "修订版本",
    "source_document": "来源文件",
    "entered_by": "填报人",
    "entered_at": "填报时间（UTC）",
    "note": "备注",
    "passing_sections": "达标断面数",
    "sections_evaluated": "评价断面数",
    "population_share": "按服务人口计达标比例（%）",
    "compensation_wan_yuan": "生态补偿金额（万元）",
    "rule": "规则",
    "computed_reason": "系统未能计算的原因",
    "consolidated": "巩固",
    "due": "拟消劣",
    "eliminated": "已消劣",
    "remaining": "尚待消劣",
    "current": "本期",
    "previous": "上年同期",
    "base_period": "比较时段",
    "done": "已完成",
    "task": "年度任务",
    "value": "数值",
    "period": "时段",
    "indicator": "指标",
    "source": "来源",
    "inputs": "输入",
    "limit": "标准限值",
    "attains": "是否达标",
    "exceedance_multiple": "超标倍数",
    "dust_days_excluded": "扣除沙尘天数",
    "good_days": "优良天数",
    "valid_days": "有效天数",
    "towns_total": "乡镇（街道）总数",
}
