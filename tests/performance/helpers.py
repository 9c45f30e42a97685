"""Building contact files for the performance tests."""

from __future__ import annotations

import csv
import io

ZH_HEADERS = ["工单号", "渠道", "技能组", "工号", "坐席", "客户ID", "进线时间", "接起时间", "挂断时间",
              "排队时长", "通话时长", "保持时长", "话后处理时长", "是否转接", "是否解决", "满意度"]


def csv_bytes(rows, headers=ZH_HEADERS, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def contact(ext, agent_no, day, hms, *, wait=10, talk=200, hold=0, acw=30, answered=True, customer="",
            queue="售后", channel="电话", transferred="否", resolved="是", csat="", name="张三"):
    """One row in ZH_HEADERS order; ``answered=False`` is an abandoned call (no agent)."""
    from datetime import datetime, timedelta

    offered = datetime.fromisoformat(f"{day} {hms}")
    answered_at = offered + timedelta(seconds=wait)
    ended = answered_at + timedelta(seconds=talk + hold)
    if not answered:
        return [ext, channel, queue, "", "", customer, offered.isoformat(sep=" "), "",
                ended.isoformat(sep=" "), wait, 0, 0, 0, "否", "", ""]
    return [ext, channel, queue, agent_no, name, customer, offered.isoformat(sep=" "),
            answered_at.isoformat(sep=" "), ended.isoformat(sep=" "), wait, talk, hold, acw, transferred,
            resolved, csat]
