"""Decision reports of finished runs, written by a job: one run on its own, or several
against a baseline run (:mod:`logistics.outputs.report`).

A report job is given run ids (and, for the supply-security section, a resilience
study's; for the study section, batch study jobs'); it writes ``report.html``, ``report.pdf``,
``comparison.xlsx``, the charts, maps, ``webmap.html`` and the GIS layers into its own
result folder, served by the files route like any run's. The report names the goods by
the categories of the baseline run's data set folder, which the job resolves inside the
API's roots (an uploaded study lives in the uploads area, not under the project).
"""

from __future__ import annotations

import dataclasses

from api.jobs import RESILIENCE_FILE, Job, run_folder
from api.paths import Roots
from api.studies import study_work_folder
from logistics.outputs.report import write_report
from logistics.outputs.report_inputs import ReportInputs, load_inputs
from logistics.paths import DATASET_DIR
from logistics.pipeline.result import read_summary


def write_report_job(job: Job) -> None:
    """The job: the report of the runs in ``job.options`` into the job's folder."""
    roots = Roots(job.results_dir)
    folders = [run_folder(job.results_dir, run_id) for run_id in job.options["runs"]]
    baseline_folder = run_folder(job.results_dir, job.options["baseline"])
    resilience = job.options.get("resilience")
    inputs = load_inputs(folders, str(read_summary(baseline_folder)["scenario"]),
                         None if resilience is None
                         else run_folder(job.results_dir, resilience) / RESILIENCE_FILE,
                         [study_work_folder(job.results_dir, study)
                          for study in job.options.get("studies", [])])
    job.folder.mkdir(parents=True, exist_ok=True)
    write_report(with_dataset_folder(inputs, roots, f"run {job.options['baseline']}"),
                 job.folder, job.options["lang"])


def with_dataset_folder(inputs: ReportInputs, roots: Roots, source: str) -> ReportInputs:
    """``inputs`` with the baseline's data set folder resolved inside the roots."""
    document = inputs.documents[inputs.names.index(inputs.baseline)]
    dataset_dir = (document.get("scenario_spec") or {}).get("dataset_dir")
    folder = (DATASET_DIR if not dataset_dir
              else roots.resolve(str(dataset_dir), "dataset_dir", source))
    return dataclasses.replace(inputs, dataset_folder=folder)
