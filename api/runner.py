"""What a job does, by kind: a scenario run, a resilience study, a decision report of
runs (:mod:`api.reports`), a batch study (:mod:`api.studies`) or an import of purchase
documents (:mod:`api.purchases`).

The pipeline is imported inside :func:`solve_job`, in the job process, so the server
itself stays light.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from api.jobs import PURCHASES_KIND, REPORT_KIND, RESILIENCE_FILE, STUDY_KIND, Job
from api.paths import Roots
from logistics.scenarios.schema import Scenario

if TYPE_CHECKING:
    from logistics.pipeline.result import ResultSummary

REPORT_DIR = "report"


def solve_job(job: Job) -> ResultSummary | None:
    """The default runner: a scenario run (result files, GIS layers, maps unless the
    options say ``maps: false``), a resilience study (``resilience.json``), a decision
    report of runs (:mod:`api.reports`), a batch study (:mod:`api.studies`) or an
    import of purchase documents (:mod:`api.purchases`). The
    pipeline is imported here, in the job process, so the server itself stays light."""
    if job.kind == REPORT_KIND:
        from api.reports import write_report_job

        write_report_job(job)
        return None
    if job.kind == STUDY_KIND:
        from api.studies import run_study_job

        run_study_job(job)
        return None
    if job.kind == PURCHASES_KIND:
        from api.purchases import run_import_job

        run_import_job(job)
        return None
    from logistics.analysis.resilience.report import resilience_report
    from logistics.outputs.maps import write_maps
    from logistics.outputs.run_folder import run_to_folder
    from logistics.pipeline.batch import SharedWork, sharing
    from logistics.pipeline.result import RESULT_FILE
    from logistics.pipeline.scenario_check import check_scenario
    from logistics.pipeline.solutions import SOLUTIONS_FOLDER, SolutionStore

    roots = Roots(job.results_dir)
    given = Scenario.model_validate(job.scenario)
    scenario = roots.resolved_scenario(given, "scenario")
    checked = check_scenario(scenario, "scenario")
    job.folder.mkdir(parents=True, exist_ok=True)
    store = SolutionStore(job.results_dir / SOLUTIONS_FOLDER)
    if job.kind == "resilience":
        with sharing(SharedWork(store)):
            report = resilience_report(scenario, checked.dataset, checked.travel,
                                       samples=job.options["samples"],
                                       seed=job.options["seed"],
                                       designs=job.options.get("designs", "both"),
                                       workers=job.solver_workers)
        text = roots.scrub(json.dumps(report, indent=2, allow_nan=False))
        (job.folder / RESILIENCE_FILE).write_text(text + "\n", encoding="utf-8")
        return None
    result = run_to_folder(checked, job.folder, workers=job.solver_workers,
                           solution_store=store, shown=given,  # paths as the user gave
                           started_by=job.started_by)
    written = job.folder / RESULT_FILE
    written.write_text(roots.scrub(written.read_text(encoding="utf-8")), encoding="utf-8")
    if job.options.get("maps", True):
        write_maps([job.folder], [result.name], None, job.folder / REPORT_DIR)
    return result.summary()
