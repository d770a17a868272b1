"""Write a GENERATED purchase year into a folder, streaming: the documents of the
deliveries of :class:`~logistics.purchases.generated_year.YearPlan` as the EHF files a
municipality receives, plus the tables a user would give the import and a manifest.

Layout of the folder::

    README.md            what this is (GENERATED) and how to import it
    generated.json       seed, scale, counts, kg, the broken files and the made-up people
    postcodes.csv        positions of the sellers' postal areas (the local shops only)
    cost_centres.csv     the units' illustrative cost centres (AccountingCost)
    units.csv            the units with their GENERATED twins (only with unit copies)
    documents/YYYY-MM/<framework seller>.zip   a month of a framework seller's documents
    documents/YYYY-MM/<tail seller>/*.xml      documents of sellers outside the agreements
    documents/resent.zip                       copies of documents sent twice
    documents/unsorted/                        broken and hostile files, and documents
                                               that carry no delivery

Framework sellers send an invoice per delivery (or a collective invoice per unit and
month naming only the period) and, most of them, a despatch advice with the gross
weight; about 1.5 % of invoices get a credit note for part of a line, about 0.2 % are
sent twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import shutil
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from logistics.model.domain import Unit
from logistics.paths import DATASET_DIR
from logistics.purchases.generated_documents import (
    LABEL,
    DocumentWriter,
    entity_expansion_document,
    external_entity_document,
    no_delivery_document,
    without_element,
)
from logistics.purchases.generated_year import (
    ITEMS_FILE,
    MEASURED,
    POSTCODES_FILE,
    Delivery,
    Line,
    Seller,
    YearPlan,
    YearScale,
    load_items,
    load_rates,
    load_sellers,
    load_units,
)

DOCUMENTS_DIR = "documents"
MANIFEST_FILE = "generated.json"
CREDIT_NOTE_SHARE = 0.015
DUPLICATE_SHARE = 0.002
COMPRESS_LEVEL = 1
"""Fastest deflate: documents are written faster than they pack."""
BOMB_PADDING_BYTES = 32 * 1024 * 1024
"""Whitespace inside the zip bomb's one member: a few tens of kB packed."""
PADDING_BLOCK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class BrokenFile:
    """A file the generator broke on purpose, and what is wrong with it."""

    path: str
    problem: str


@dataclass
class GeneratedYear:
    """What :func:`generate_purchase_year` wrote."""

    out_dir: Path
    documents: Counter[str] = field(default_factory=Counter)
    deliveries: int = 0
    deliveries_by_seller: Counter[str] = field(default_factory=Counter)
    net_kg_by_seller: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    credited_net_kg: float = 0.0
    broken: list[BrokenFile] = field(default_factory=list)

    @property
    def documents_dir(self) -> Path:
        return self.out_dir / DOCUMENTS_DIR

    @property
    def document_count(self) -> int:
        """Documents written, broken and duplicated ones included."""
        return sum(self.documents.values())


class _Folder:
    """Where documents go: a zip archive per month and framework seller, loose files
    for the others; one file open at a time per seller."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.archives: dict[str, zipfile.ZipFile] = {}
        self.month = ""
        self.resent = zipfile.ZipFile(root / "resent.zip", "w", zipfile.ZIP_DEFLATED,
                                      compresslevel=COMPRESS_LEVEL)

    def write(self, seller: Seller, day: dt.date, name: str, text: str) -> str:
        month = f"{day:%Y-%m}"
        if month != self.month:
            self.close_month()
            self.month = month
        if seller.framework:
            archive = self.archives.get(seller.id)
            if archive is None:
                (self.root / month).mkdir(parents=True, exist_ok=True)
                archive = self.archives[seller.id] = zipfile.ZipFile(
                    self.root / month / f"{seller.id}.zip", "w", zipfile.ZIP_DEFLATED,
                    compresslevel=COMPRESS_LEVEL)
            archive.writestr(_member(name, day), text, compresslevel=COMPRESS_LEVEL)
            return f"{month}/{seller.id}.zip/{name}"
        folder = self.root / month / seller.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
        return f"{month}/{seller.id}/{name}"

    def close_month(self) -> None:
        for archive in self.archives.values():
            archive.close()
        self.archives.clear()

    def close(self) -> None:
        self.close_month()
        self.resent.close()


def generate_purchase_year(out_dir: Path, *, year: int = 2025, seed: int = 1,
                           units: Path = DATASET_DIR / "units.csv",
                           suppliers: Path = DATASET_DIR / "suppliers.csv",
                           scale: YearScale | None = None) -> GeneratedYear:
    """Write a GENERATED year of purchase documents for ``units`` into ``out_dir``
    (emptied first); the same arguments write the same bytes."""
    scale = scale or YearScale()
    unit_list = load_units(units, scale.unit_copies)
    sellers = load_sellers(suppliers, tail_copies=scale.tail_copies)
    plan = YearPlan(unit_list, sellers, load_items(ITEMS_FILE), load_rates(), year, seed,
                    scale.weeks)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    (out_dir / DOCUMENTS_DIR).mkdir(parents=True)
    result = GeneratedYear(out_dir)
    writer = DocumentWriter(unit_list, seed)
    folder = _Folder(result.documents_dir)
    numbers: Counter[str] = Counter()
    monthly: dict[tuple[str, str], list[Delivery]] = {}
    month = ""
    sample: Delivery | None = None
    chance = plan.rng("documents")

    def next_id(prefix: str, seller: Seller) -> str:
        numbers[f"{prefix}:{seller.id}"] += 1
        return f"{prefix}-{seller.org_number}-{year}-{numbers[f'{prefix}:{seller.id}']:06d}"

    def emit(kind: str, seller: Seller, day: dt.date, document_id: str, text: str) -> None:
        name = f"{kind}-{document_id}.xml"
        folder.write(seller, day, name, text)
        result.documents[kind] += 1
        if chance.random() < DUPLICATE_SHARE:
            folder.resent.writestr(_member(f"{day:%Y-%m}/{name}", day), text,
                                   compresslevel=COMPRESS_LEVEL)
            result.documents["duplicate"] += 1

    def flush_monthly() -> None:
        for deliveries in monthly.values():
            first = deliveries[0]
            start = first.day.replace(day=1)
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            lines = _summed([line for d in deliveries for line in d.lines])
            charges = _summed([charge for d in deliveries for charge in d.charges])
            invoice_id = next_id("INV", first.seller)
            emit("invoice", first.seller, first.day, invoice_id,
                 writer.invoice(invoice_id, min(end, plan.last_day), first.seller, first.unit,
                                lines, charges, None, (start, end)))
        monthly.clear()

    for delivery in plan.deliveries():
        seller = delivery.seller
        if f"{delivery.day:%Y-%m}" != month:
            flush_monthly()
            month = f"{delivery.day:%Y-%m}"
        sample = sample or (delivery if not seller.framework else None)
        result.deliveries += 1
        result.deliveries_by_seller[seller.id] += 1
        result.net_kg_by_seller[seller.id] += delivery.net_kg
        if seller.despatch_advice:
            document_id = next_id("DA", seller)
            emit("despatch_advice", seller, delivery.day, document_id,
                 writer.despatch_advice(document_id, delivery, f"PO-{delivery.number:07d}"))
        if seller.billing == "monthly":
            monthly.setdefault((seller.id, delivery.unit.id), []).append(delivery)
            continue
        invoice_id = next_id("INV", seller)
        emit("invoice", seller, delivery.day, invoice_id,
             writer.invoice(invoice_id, delivery.day, seller, delivery.unit, delivery.lines,
                            delivery.charges, delivery.day, None))
        if chance.random() < CREDIT_NOTE_SHARE:
            credited = _part_of(delivery.lines[0])
            result.credited_net_kg += credited.net_kg
            credit_id = next_id("CN", seller)
            emit("credit_note", seller, delivery.day, credit_id,
                 writer.invoice(credit_id, delivery.day + dt.timedelta(days=2), seller,
                                delivery.unit, [credited], [], delivery.day, None,
                                credited_invoice=invoice_id))
    flush_monthly()
    if sample is not None:
        _write_unsorted(result, writer, sample, seed)
    folder.close()
    _write_tables(out_dir, unit_list, writer, sellers, scale)
    _write_manifest(result, year, seed, scale, sellers, writer)
    _write_readme(result, year, seed, scale)
    return result


def _member(name: str, day: dt.date) -> zipfile.ZipInfo:
    """A zip member dated ``day`` (not the clock), so archives are the same every run."""
    info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 12, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _summed(lines: list[Line]) -> list[Line]:
    """Lines of the same item as one, in the order first seen."""
    quantities: dict[str, float] = {}
    items = {}
    for line in lines:
        quantities[line.item.item_id] = quantities.get(line.item.item_id, 0.0) + line.quantity
        items[line.item.item_id] = line.item
    return [Line(items[key], round(quantity, 3)) for key, quantity in quantities.items()]


def _part_of(line: Line) -> Line:
    """The part of a line a credit note returns: half of it, at least one unit."""
    if line.item.unit_code in MEASURED:
        return Line(line.item, round(line.quantity / 2, 1) or line.quantity)
    return Line(line.item, float(max(1, math.floor(line.quantity / 2))))


def _write_unsorted(result: GeneratedYear, writer: DocumentWriter, sample: Delivery,
                    seed: int) -> None:
    """Broken and hostile files, and documents that carry no delivery, in
    ``documents/unsorted``."""
    folder = result.documents_dir / "unsorted"
    folder.mkdir()
    valid = writer.invoice("INV-UNSORTED-1", sample.day, sample.seller, sample.unit,
                           sample.lines, sample.charges, sample.day, None)
    files = {
        "faktura-0001.xml": (valid[:int(len(valid) * 0.6)], "malformed XML: cut off"),
        "faktura-0002.xml": (without_element(valid, "cbc:IssueDate"),
                             "mandatory element cbc:IssueDate missing"),
        "faktura-0003.xml": (without_element(valid, "cac:AccountingSupplierParty"),
                             "mandatory element cac:AccountingSupplierParty missing"),
        "faktura-0004.xml": (external_entity_document(valid),
                             "DOCTYPE with an external entity (file:///etc/passwd)"),
        "faktura-0005.xml": (entity_expansion_document(valid),
                             "DOCTYPE with nested entities (entity expansion)"),
    }
    for name, (text, problem) in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        result.broken.append(BrokenFile(f"{DOCUMENTS_DIR}/unsorted/{name}", problem))
    with zipfile.ZipFile(folder / "eksport-1.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_member("../../utenfor-mappen.xml", sample.day), valid)
    result.broken.append(BrokenFile(f"{DOCUMENTS_DIR}/unsorted/eksport-1.zip",
                                    "zip member path leaves the folder: ../../utenfor-mappen.xml"))
    head, tail = valid.encode("utf-8").split(b"<cbc:ID>", 1)
    with zipfile.ZipFile(folder / "eksport-2.zip", "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(_member("faktura.xml", sample.day), "w") as member:
        member.write(head + b"<!--")
        for _ in range(BOMB_PADDING_BYTES // PADDING_BLOCK_BYTES):  # streamed, never held
            member.write(b" " * PADDING_BLOCK_BYTES)
        member.write(b"--><cbc:ID>" + tail)
    unpacked_bytes = len(head) + len(tail) + len(b"<!----><cbc:ID>") + BOMB_PADDING_BYTES
    result.broken.append(BrokenFile(
        f"{DOCUMENTS_DIR}/unsorted/eksport-2.zip",
        f"zip bomb: one member of {unpacked_bytes} bytes packed about a thousandfold"))
    result.documents["broken"] += len(files) + 2
    rng = random.Random(f"{seed}:unsorted")
    for number, kind in enumerate(("ApplicationResponse", "OrderResponse", "Catalogue") * 2,
                                  start=1):
        day = sample.day + dt.timedelta(days=rng.randrange(1, 30))
        text = no_delivery_document(kind, f"ND-{number}", day, sample.seller, f"REF-{number}")
        (folder / f"melding-{number:04d}.xml").write_text(text, encoding="utf-8")
        result.documents["no_delivery"] += 1


def _write_tables(out_dir: Path, units: tuple[Unit, ...], writer: DocumentWriter,
                  sellers: tuple[Seller, ...], scale: YearScale) -> None:
    """The postal-code table (the postal areas of sellers in it only), the cost-centre
    table, and the units with their twins."""
    postal_codes = {s.postal_code for s in sellers}
    with POSTCODES_FILE.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["postal_code"] in postal_codes]
    with (out_dir / "postcodes.csv").open("w", newline="", encoding="utf-8") as handle:
        table = csv.DictWriter(handle, fieldnames=["postcode", "lon", "lat", "source"],
                               lineterminator="\n")
        table.writeheader()
        table.writerows({"postcode": row["postal_code"], "lon": row["lon"], "lat": row["lat"],
                         "source": f"{row['place']}: {row['source']} ({row['basis']})"}
                        for row in rows)
    with (out_dir / "cost_centres.csv").open("w", newline="", encoding="utf-8") as handle:
        handle.write("code,unit_id\n")
        for unit in units:
            handle.write(f"{writer.addressing[unit.id].cost_centre},{unit.id}\n")
    if scale.unit_copies > 1:
        fields = ["id", "name", "unit_type", "size", "size_basis", "lon", "lat", "district",
                  "time_windows", "service_time_s"]
        with (out_dir / "units.csv").open("w", newline="", encoding="utf-8") as handle:
            table = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
            table.writeheader()
            for unit in units:
                table.writerow({"id": unit.id, "name": unit.name, "unit_type": unit.unit_type,
                                "size": unit.size, "size_basis": unit.size_basis,
                                "lon": f"{unit.lon:.6f}", "lat": f"{unit.lat:.6f}",
                                "district": unit.district,
                                "time_windows": ";".join(
                                    f"{_clock(a)}-{_clock(b)}" for a, b in unit.time_windows),
                                "service_time_s": f"{unit.service_time_s:g}"})


def _clock(seconds: float) -> str:
    minutes = int(seconds) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _write_manifest(result: GeneratedYear, year: int, seed: int, scale: YearScale,
                    sellers: tuple[Seller, ...], writer: DocumentWriter) -> None:
    document = {
        "label": LABEL, "year": year, "seed": seed,
        "scale": {"unit_copies": scale.unit_copies, "tail_copies": scale.tail_copies,
                  "weeks": scale.weeks},
        "documents": dict(sorted(result.documents.items())),
        "document_count": result.document_count,
        "deliveries": result.deliveries,
        "deliveries_by_seller": dict(sorted(result.deliveries_by_seller.items())),
        "net_kg_by_seller": {k: round(v, 1) for k, v in sorted(result.net_kg_by_seller.items())},
        "credited_net_kg": round(result.credited_net_kg, 1),
        "sellers": [{"id": s.id, "org_number": s.org_number, "kind": s.kind,
                     "supplier_id": s.supplier_id or None, "postal_code": s.postal_code}
                    for s in sellers],
        "broken": [{"path": b.path, "problem": b.problem} for b in result.broken],
        "personal_data": sorted({value for p in writer.people.values() for value in p.values}),
    }
    (result.out_dir / MANIFEST_FILE).write_text(json.dumps(document, indent=2,
                                                           ensure_ascii=False) + "\n",
                                                encoding="utf-8")


def _write_readme(result: GeneratedYear, year: int, seed: int, scale: YearScale) -> None:
    counts = ", ".join(f"{count} {kind.replace('_', ' ')}"
                       for kind, count in sorted(result.documents.items()))
    units = "units.csv" if scale.unit_copies > 1 else "data/bergen/units.csv"
    (result.out_dir / "README.md").write_text(f"""# GENERATED purchase year {year} (seed {seed})

Everything in this folder is GENERATED by `logistics purchases generate`: the sellers,
items, prices, people, phone numbers and e-mail addresses are made up; only the units
are Bergen kommune's (the shipped units). Do not read any of it as a real purchase.

{result.deliveries} deliveries; {counts}.
`documents/unsorted/` holds broken and hostile files on purpose (listed with what is
wrong in `{MANIFEST_FILE}`, beside the made-up people planted in the documents).

Import it:

    logistics purchases import documents --units {units} \\
        --suppliers data/bergen/suppliers.csv --cost-centres cost_centres.csv \\
        --postcodes postcodes.csv --out study
""", encoding="utf-8")
