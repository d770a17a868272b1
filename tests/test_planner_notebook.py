"""The planner's notebook (``docs/planner-api.ipynb``) executed against a clean server
on a free port, its URL and a run key passed by environment, so its code cannot rot."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from logistics.paths import PROJECT_ROOT
from tests.api_helpers import api_server

NOTEBOOK = PROJECT_ROOT / "docs" / "planner-api.ipynb"


def test_the_planner_notebook_runs_against_a_clean_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with api_server(tmp_path / "results") as server:
        monkeypatch.setenv("LOGISTICS_API_URL", server.base)
        monkeypatch.setenv("LOGISTICS_API_KEY", server.secrets["run"])
        monkeypatch.setenv("NOTEBOOK_UNITS", "4")
        monkeypatch.setenv("NOTEBOOK_ITERATIONS", "20")
        monkeypatch.setenv("NOTEBOOK_OUT", str(tmp_path / "out"))
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "frequency_per_week.frozen" in printed
    shown = "".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "between cells and a decimal comma (8 numbers read with a point)" in shown
    assert (tmp_path / "out" / "report" / "report.html").is_file()
    assert (tmp_path / "out" / "report" / "report.pdf").is_file()
