"""The purchase import benchmark's harness: month folders counted, the first months
holding a number of documents chosen, every import measured in a fresh process (here
with a stand-in import that only counts)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from benchmarks.purchases import first_months, main, month_documents


def test_months_are_counted_and_the_first_ones_chosen(tmp_path: Path) -> None:
    for month, members, loose in (("2025-01", 3, 2), ("2025-02", 4, 0), ("2025-03", 0, 5)):
        folder = tmp_path / month
        (folder / "shop").mkdir(parents=True)
        with zipfile.ZipFile(folder / "seller.zip", "w") as archive:
            for number in range(members):
                archive.writestr(f"d{number}.xml", "<x/>")
        for number in range(loose):
            (folder / "shop" / f"d{number}.xml").write_text("<x/>")
    (tmp_path / "unsorted").mkdir()
    (tmp_path / "unsorted" / "broken.xml").write_text("<")
    months = month_documents(tmp_path)
    assert [(p.name, n) for p, n in months] == [("2025-01", 5), ("2025-02", 4),
                                                 ("2025-03", 5)]
    chosen = first_months(months, 6)
    assert chosen is not None
    assert ([p.name for p in chosen[0]], chosen[1]) == (["2025-01", "2025-02"], 9)
    assert first_months(months, 15) is None


@pytest.mark.slow
def test_the_benchmark_measures_every_import(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--out", str(tmp_path), "--weeks", "6", "--sizes", "2000,8000",
                 "--importer", "tests.purchase_fakes:count_documents", "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    manifest = json.loads((tmp_path / "year" / "generated.json").read_text())
    assert report["documents"] == manifest["document_count"] > 8000
    rows = {row["import"]: row for row in report["imports"]}
    assert set(rows) == {"2k", "8k", "year"}
    for name, row in rows.items():
        assert row["status"] == "finished"
        assert row["documents"] >= {"2k": 2000, "8k": 8000, "year": 0}[name]
        assert row["peak_mib_process"] > 10
    assert rows["2k"]["documents_read"] == rows["2k"]["documents"]
    assert rows["8k"]["documents_read"] == rows["8k"]["documents"]
    # the whole folder: resent copies and hostile files' XML too (the stand-in counts
    # every .xml, the traversal and bomb archives' members included)
    assert rows["year"]["documents_read"] == report["documents"]
    assert report["memory_grows_with_documents"] in (True, False)
