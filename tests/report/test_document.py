"""The document model: sections survive the notebook's JSON unchanged, and bad JSON is refused."""

from __future__ import annotations

import json

import pytest

from analysis.errors import DocumentModelError
from analysis.report import document as d


def _section() -> d.Section:
    table = d.Table(
        columns=(
            d.Column("stt", "TT", "stt"),
            d.Column("name", "Chỉ tiêu", "name"),
            d.Column("unit", "Đơn vị tính", "unit"),
            d.Column("result", "TH 2024", "number", 2),
            d.Column("status", "Đánh giá", "status"),
        ),
        rows=(
            d.Row(
                (
                    d.cell(d.text("1")),
                    d.cell(d.text("Tốc độ tăng trưởng")),
                    d.cell(d.text("%")),
                    d.cell(d.text("8,5", "num"), value=8.5),
                    d.cell((d.Span("Vượt", "status", "Vượt"),), status="Vượt"),
                )
            ),
            d.Row(
                (d.cell(), d.cell(d.text("- Nông nghiệp")), d.cell(), d.cell(), d.cell()), depth=1, illustrative=True
            ),
        ),
        header_rows=((d.HeaderCell("", 3), d.HeaderCell("Năm 2024", 2)),),
        caption="Bảng 1",
        key="evaluated",
    )
    return d.Section(
        (
            d.Heading("1. Kết quả thực hiện các chỉ tiêu", 2),
            d.Label("SỐ LIỆU MINH HỌA"),
            d.Paragraph((d.Span("Đạt "), d.Span("12/15", "num"), d.Span(" chỉ tiêu", "em")), "lead"),
            d.BulletList((d.text("một"), d.text("hai")), ordered=True),
            table,
            d.Figure("<svg><text>Đạt</text></svg>", b"\x89PNG\r\n", caption="Hình 1", width_mm=160.0),
        ),
        key="indicators",
        meta={"unit": "trang-dinh"},
    )


def test_a_section_survives_json_as_a_notebook_stores_it() -> None:
    s = _section()
    stored = json.loads(json.dumps(d.to_json(s), ensure_ascii=False))
    back = d.from_json(stored)
    assert back == s
    assert back.meta == {"unit": "trang-dinh"}
    fig = back.blocks[-1]
    assert isinstance(fig, d.Figure) and fig.png == b"\x89PNG\r\n"
    table = back.blocks[4]
    assert isinstance(table, d.Table)
    assert table.rows[0].cells[3].value == 8.5
    assert d.plain(table.rows[1].cells[1].lines[0]) == "- Nông nghiệp"


def test_missing_values_make_no_span() -> None:
    assert d.text(None) == () and d.text(float("nan")) == () and d.text("") == ()
    assert d.cell(d.text(None), d.text("x")).lines == ((d.Span("x"),),)


def test_another_model_version_or_an_unknown_block_is_refused() -> None:
    data = d.to_json(_section())
    with pytest.raises(DocumentModelError, match="version 99"):
        d.from_json({**data, "version": 99})
    with pytest.raises(DocumentModelError, match="unknown block type 'video'"):
        d.from_json({**data, "blocks": [{"type": "video"}]})
