"""Who delivered where: delivery places to units, sellers to suppliers.

A delivery place matches a unit, in this order, by

1. ``gln_or_org_number``: an id of the delivery location or party (ICD 0088 GLN or 0192
   organisation number) that is a kindergarten's organisation number (ids
   ``kg-<orgnr>``) or a GLN listed in the cost-centre table;
2. ``cost_centre``: the buyer's accounting code or reference ("ansvar") in the
   cost-centre table;
3. ``address``: the normalised street address (``gate``/``gata``/``g.`` and
   ``vei``/``veien``/``veg``/``vegen`` spelt one way, case and punctuation ignored) and
   the postal code, when both the document and the unit have them;
4. ``name``: the delivery party's name, when exactly one unit has it (normalised);
5. ``buyer_org_number``: the buying party's organisation number, when it is a unit's.

A seller matches a supplier by organisation number only. Other sellers are flows
outside the agreements, never dropped: their depot position comes from the supplier
list (a supplier with ``framework_agreement: false``), else from the postcode table;
otherwise they are listed as needing one. A position is never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from logistics.model.domain import Supplier, Unit
from logistics.purchases.documents import DeliveryPlace, Party
from logistics.purchases.reference import PostcodeRow

_COMPOUND_SUFFIXES = ((re.compile(r"(gata|gaten|gate)$"), "gt"),
                      (re.compile(r"(veien|vegen|vei|veg)$"), "vn"))
_ABBREVIATIONS = {"g": "gt", "gt": "gt", "v": "vn", "vn": "vn"}
_NORWEGIAN_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
_KG_ORG = re.compile(r"^kg-(\d{9})$")


def normalise_street(street: str) -> str:
    """A street address as one key: ``"Vilhelm Bjerknes' vei 54"`` and ``"vilhelm
    bjerknesveien 54"`` both give ``"vilhelmbjerknesvn54"``."""
    words = re.sub(r"[^\w\s]", " ", street.lower()).split()
    normalised = []
    for word in words:
        if word in _ABBREVIATIONS:
            word = _ABBREVIATIONS[word]
        else:
            for pattern, short in _COMPOUND_SUFFIXES:
                word, count = pattern.subn(short, word)
                if count:
                    break
        normalised.append(word)
    return "".join(normalised)


def normalise_name(name: str) -> str:
    """Lower case, letters and digits only, single spaces."""
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


@dataclass(frozen=True, slots=True)
class UnitMatch:
    unit_id: str
    method: str


class UnitMatcher:
    """Matches a document's delivery place to one of the units (see module docstring)."""

    def __init__(self, units: Sequence[Unit], cost_centres: Mapping[str, str]):
        self.ids: dict[str, str] = {}
        for unit in units:
            found = _KG_ORG.match(unit.id)
            if found:
                self.ids[found.group(1)] = unit.id
        self.cost_centres = dict(cost_centres)
        self.addresses = {(normalise_street(u.address), u.postcode): u.id
                          for u in units if u.address and u.postcode}
        names: dict[str, list[str]] = {}
        for unit in units:
            names.setdefault(normalise_name(unit.name), []).append(unit.id)
        self.names = {name: ids[0] for name, ids in names.items() if len(ids) == 1}

    def match(self, place: DeliveryPlace) -> UnitMatch | None:
        for value in place.ids:
            unit_id = self.ids.get(value) or self.cost_centres.get(value)
            if unit_id:
                return UnitMatch(unit_id, "gln_or_org_number")
        for code in place.cost_centres:
            if code in self.cost_centres:
                return UnitMatch(self.cost_centres[code], "cost_centre")
        if place.street and place.postcode:
            unit_id = self.addresses.get((normalise_street(place.street), place.postcode))
            if unit_id:
                return UnitMatch(unit_id, "address")
        if place.name and normalise_name(place.name) in self.names:
            return UnitMatch(self.names[normalise_name(place.name)], "name")
        for value in place.buyer_ids:
            if value in self.ids:
                return UnitMatch(self.ids[value], "buyer_org_number")
        return None


@dataclass(frozen=True, slots=True)
class SellerMatch:
    """A seller as a supplier of the study: in the agreements or not, and where its
    depot is (``position_basis``: ``supplier_list``, ``postcode`` or ``missing``)."""

    supplier_id: str
    name: str
    org_number: str
    framework_agreement: bool
    lon: float | None
    lat: float | None
    position_basis: str
    postcode: str = ""


class SellerMatcher:
    """Matches sellers to the supplier list by organisation number."""

    def __init__(self, suppliers: Sequence[Supplier], postcodes: Mapping[str, PostcodeRow]):
        self.by_org = {s.org_number: s for s in suppliers if s.org_number}
        self.postcodes = postcodes

    def match(self, seller: Party) -> SellerMatch:
        supplier = self.by_org.get(seller.org_number) if seller.org_number else None
        if supplier is not None:
            return SellerMatch(supplier.id, supplier.name, seller.org_number,
                               supplier.framework_agreement, supplier.lon, supplier.lat,
                               "supplier_list")
        row = self.postcodes.get(seller.postcode) if seller.postcode else None
        return SellerMatch(outside_supplier_id(seller), seller.name or seller.key,
                           seller.org_number, False,
                           row.lon if row else None, row.lat if row else None,
                           "postcode" if row else "missing", seller.postcode)


def outside_supplier_id(seller: Party) -> str:
    """A stable supplier id for a seller outside the supplier list."""
    if seller.org_number:
        return f"ext-{seller.org_number}"
    if seller.gln:
        return f"ext-gln-{seller.gln}"
    ascii_name = normalise_name(seller.name).translate(_NORWEGIAN_LETTERS)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")
    return f"ext-{slug[:90] or 'unnamed'}"
