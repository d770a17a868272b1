"""The gettext message catalogues of every reader-facing text, and their upkeep.

``locales/logistics.pot`` holds each text once in English: ``msgctxt`` is the text's key
(``section.question``, ``map.hub``...), ``msgid`` its English wording. Each language
other than English has ``locales/<lang>/LC_MESSAGES/logistics.po`` with the same
entries and their translations (``msgstr``). The ``.po`` sources ship in the package and
are compiled to ``.mo`` in memory when first used (Babel), so an installed or editable
package needs no build step. ``{name}`` fields are filled by :meth:`str.format` and are
flagged ``python-brace-format``.

Upkeep (from the repository root)::

    python -m logistics.outputs.catalogues check
    python -m logistics.outputs.catalogues import-dicts FILE.py

``check`` lists keys without a bokmål text, texts whose ``{fields}`` differ from the
English, and ``kpi.<name>`` entries whose English is not the KPI's label in
:mod:`logistics.accounting.kpi_catalogue` (a KPI's English label is written there
only). ``import-dicts`` adds the entries of the ``EN = {...}`` and ``NB = {...}``
dict literals of a Python file (such as an older ``locale.py``) that the catalogues
lack, so texts written as Python dictionaries move into the catalogues in one step;
entries whose English differs from the catalogue's are reported, not overwritten.
"""

from __future__ import annotations

import ast
import io
import string
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from logistics.accounting.kpi_catalogue import KPI_CATALOGUE

LOCALES_DIR = Path(__file__).with_name("locales")
DOMAIN = "logistics"
TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"
TRANSLATED = ("nb",)
"""Languages with a catalogue of translations; English is the template's ``msgid``."""
BRACE_FLAG = "python-brace-format"


def po_path(lang: str) -> Path:
    """The ``.po`` source of ``lang``'s translations."""
    return LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path, lang: str | None = None) -> Catalog:
    """A ``.po``/``.pot`` file as a Babel catalogue."""
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def write_catalogue(catalogue: Catalog, path: Path) -> None:
    """Write ``catalogue`` to ``path``, entries sorted by key, lines unwrapped at 79."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=79, sort_output=False, omit_header=False,
                 include_previous=False)


@cache
def english() -> Mapping[str, str]:
    """Key -> English text, from the template."""
    return {str(m.context): str(m.id) for m in read_catalogue(TEMPLATE) if m.context}


@cache
def translated(lang: str) -> Mapping[str, str]:
    """Key -> text in ``lang`` (English where the catalogue has no translation)."""
    compiled = _translations(lang)
    return {key: str(compiled.pgettext(key, text)) for key, text in english().items()}


def _translations(lang: str) -> Translations:
    """``lang``'s ``.po`` compiled to ``.mo`` in memory and read as gettext translations."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalogue(po_path(lang), lang))
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def fields(text: str) -> set[str]:
    """The ``{name}`` fields of a text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def kpi_label_problems() -> list[str]:
    """``kpi.<name>`` entries whose English is not the label of the KPI catalogue
    (:data:`~logistics.accounting.kpi_catalogue.KPI_CATALOGUE`), the one place a KPI's
    English label is written; its translations are keyed by that label."""
    texts = english()
    return [f"kpi.{spec.name}: English {texts.get(f'kpi.{spec.name}')!r} is not the KPI "
            f"catalogue's label {spec.label!r}"
            for spec in KPI_CATALOGUE
            if spec.label is not None and texts.get(f"kpi.{spec.name}") != spec.label]


def problems() -> list[str]:
    """Keys without a translation, translations whose fields differ from English, and
    KPI entries whose English is not the KPI catalogue's label."""
    found = kpi_label_problems()
    for lang in TRANSLATED:
        catalogue = read_catalogue(po_path(lang), lang)
        by_key = {str(m.context): m for m in catalogue if m.context}
        for key, text in english().items():
            message = by_key.get(key)
            if message is None or not message.string:
                found.append(f"{lang}: {key}: no translation")
            elif message.id != text:
                found.append(f"{lang}: {key}: translates an older English text")
            elif fields(str(message.string)) != fields(text):
                found.append(f"{lang}: {key}: fields {sorted(fields(str(message.string)))} "
                             f"differ from English {sorted(fields(text))}")
        found += [f"{lang}: {key}: not in the template" for key in by_key
                  if key not in english()]
    return found


def dict_literals(path: Path, names: tuple[str, ...] = ("EN", "NB")) -> dict[str, dict[str, str]]:
    """The string entries of the dict literals assigned to ``names`` in a Python file
    (entries that are not plain strings, such as ``**`` spreads, are skipped)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, dict[str, str]] = {name: {} for name in names}
    for node in ast.walk(tree):
        target = (node.target if isinstance(node, ast.AnnAssign)
                  else node.targets[0] if isinstance(node, ast.Assign) else None)
        value = getattr(node, "value", None)
        if (isinstance(target, ast.Name) and target.id in found
                and isinstance(value, ast.Dict)):
            for key, text in zip(value.keys, value.values, strict=True):
                if (isinstance(key, ast.Constant) and isinstance(key.value, str)
                        and isinstance(text, ast.Constant) and isinstance(text.value, str)):
                    found[target.id][key.value] = text.value
    return found


def import_dicts(path: Path) -> list[str]:
    """Add the ``EN``/``NB`` entries of ``path`` the catalogues lack; returns what was
    added and the keys whose English differs from the catalogue's (left as they are)."""
    entries = dict_literals(path)
    template = read_catalogue(TEMPLATE)
    nb = read_catalogue(po_path("nb"), "nb")
    known = english()
    report = []
    for key, text in entries["EN"].items():
        if key in known:
            if known[key] != text:
                report.append(f"{key}: English differs, kept the catalogue's")
            continue
        flags = [BRACE_FLAG] if fields(text) else []
        template.add(text, context=key, flags=flags)
        nb.add(text, entries["NB"].get(key, ""), context=key, flags=flags)
        report.append(f"{key}: added" + ("" if key in entries["NB"] else " (no bokmål)"))
    write_catalogue(template, TEMPLATE)
    write_catalogue(nb, po_path("nb"))
    english.cache_clear()
    translated.cache_clear()
    return report


def main(argv: list[str]) -> int:
    """``check`` or ``import-dicts FILE.py``; exit 1 when ``check`` finds problems."""
    if argv[:1] == ["check"]:
        found = problems()
        print("\n".join(found) or "catalogues complete")
        return 1 if found else 0
    if argv[:1] == ["import-dicts"] and len(argv) == 2:
        print("\n".join(import_dicts(Path(argv[1]))) or "nothing to add")
        return 0
    print("usage: python -m logistics.outputs.catalogues check | import-dicts FILE.py",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
