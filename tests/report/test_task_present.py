"""What the key-task pages say: the headline counts classes and agreements, an empty list of
disagreeing sub-targets says so, a task with no recomputed class shows no mark."""

from __future__ import annotations

import re

import pandas as pd

from analysis.report import task_present
from analysis.writers.html import html_of


def _tasks() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "task": ["1.1", "1.2", "2.1"],
            "title": ["Phát triển nông nghiệp", "Xây dựng nông thôn mới", "Cải cách hành chính"],
            "self_score": [100.0, 80.0, 72.0],
            "published_class": ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành tốt nhiệm vụ"],
            "class": ["Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ"],
            "agrees": pd.array([True, True, pd.NA], dtype="boolean"),
        }
    )


def test_the_headline_counts_classes_agreements_and_findings():
    findings = pd.DataFrame({"sub": ["1.2.a", "1.2.b"]})
    assert task_present.tasks_headline(_tasks(), findings) == (
        "3 nhiệm vụ trọng tâm: 1 hoàn thành xuất sắc nhiệm vụ, 1 hoàn thành tốt nhiệm vụ, 1 hoàn thành nhiệm vụ; "
        "xếp loại khớp thang điểm ở 2/3 nhiệm vụ; 2 số liệu con cần xem lại."
    )
    assert task_present.tasks_headline(_tasks().iloc[0:0], findings) == "Không có nhiệm vụ trọng tâm có điểm tự chấm."


def test_the_tasks_table_marks_agreement_only_where_checked():
    html = html_of(task_present.tasks_table(_tasks()))
    marks = re.findall(r'<td class="c-agree[^"]*">(.*?)</td>', html)
    assert marks == ['<span class="ok">✓</span>', '<span class="ok">✓</span>', ""]
    assert '<td class="c-score k-number"><span class="n">72</span></td>' in html


def test_no_disagreeing_sub_target_is_said_in_words():
    assert html_of(task_present.task_findings_table(pd.DataFrame())) == "<p>Không có số liệu không khớp.</p>"
