"""What a briefing opens with: the indicators' headline keeps "dự kiến" for estimates, the audit
counts, and the targets that cannot be reached."""

from __future__ import annotations

import pytest

from analysis.report import briefing_present
from analysis.report.context import unit_context
from analysis.writers.html import html_of


@pytest.fixture(scope="module")
def ctx():
    return unit_context("trang-dinh", 2024)


def test_the_headline_keeps_du_kien_for_estimates(ctx):
    summary = html_of(briefing_present.briefing_summary(ctx))
    assert "Dự kiến năm 2024: 06/26 chỉ tiêu không đạt" in summary
    assert "2 không khớp, 1 khác cách tính nhưng có giải thích" in summary
    assert "dòng 12" in summary and "không thể đạt" in summary
