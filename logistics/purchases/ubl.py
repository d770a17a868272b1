"""Peppol BIS 3 / EHF documents (UBL 2.1 XML) into :class:`PurchaseDocument`.

Parsing is safe: lxml with no DTD loading, no entity resolution, no network and no
huge trees, and any document that declares a DOCTYPE or an entity is refused before
parsing (no entity expansion, no external entities). Only the elements the import
needs are read, by explicit path; contacts, notes and free text are never touched.
Documents that carry no delivery (catalogue, order response, invoice response) are
recognised and reported as skipped. A document wrapped in a Peppol Standard Business
Document envelope is read from its payload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree

from logistics.purchases.documents import (
    DeliveryPlace,
    DocumentKind,
    Party,
    PurchaseDocument,
    PurchaseLine,
)

CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
NS = {"cbc": CBC, "cac": CAC}

READ_ROOTS = {
    "Invoice": DocumentKind.INVOICE,
    "CreditNote": DocumentKind.CREDIT_NOTE,
    "Order": DocumentKind.ORDER,
    "DespatchAdvice": DocumentKind.DESPATCH_ADVICE,
    "OrderCancellation": DocumentKind.ORDER_CANCELLATION,
}
SKIPPED_ROOTS = {
    "Catalogue": "catalogue",
    "CatalogueResponse": "catalogue response",
    "OrderResponse": "order response",
    "OrderResponseSimple": "order response",
    "ApplicationResponse": "invoice response (application response)",
    "OrderChange": "order change (the later invoice or despatch advice carries the delivery)",
    "OrderAgreement": "order agreement",
    "Reminder": "payment reminder",
}
"""UBL documents that carry no delivery: recognised, reported as skipped."""

CREDIT_NOTE_TYPE_CODES = {"381", "396", "532"}
"""UNCL1001 invoice type codes that are credit notes."""
FREIGHT_CHARGE_CODES = {"FC", "DL", "FA"}
"""UNCL7161 charge reason codes for freight, delivery and carriage."""
FREIGHT_WORDS = ("frakt", "freight", "transport", "levering", "delivery", "carriage")

MASS_KG_PER_UNIT = {"KGM": 1.0, "GRM": 0.001, "TNE": 1000.0, "HGM": 0.1, "MGM": 1e-6,
                    "LBR": 0.45359237, "ONZ": 0.028349523125}
"""UN/ECE Recommendation 20 mass units, kilograms per unit."""
VOLUME_M3_PER_UNIT = {"MTQ": 1.0, "LTR": 0.001, "MLT": 1e-6, "CLT": 1e-5, "DLT": 1e-4,
                      "HLT": 0.1, "CMQ": 1e-6, "DMQ": 0.001}
"""UN/ECE Recommendation 20 volume units, cubic metres per unit."""

MAX_FOUND_CHARS = 40


class DocumentError(Exception):
    """A document that cannot be read: element path, what was found, what is allowed."""

    def __init__(self, path: str, found: str, allowed: str):
        super().__init__(f"{path}: found {found}; allowed: {allowed}")
        self.path, self.found, self.allowed = path, found, allowed


@dataclass(frozen=True, slots=True)
class SkippedDocument:
    """A recognised document type that carries no delivery."""

    root: str
    reason: str


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                          load_dtd=False, dtd_validation=False, remove_comments=True,
                          remove_pis=True)


def parse_ubl(data: bytes) -> PurchaseDocument | SkippedDocument:
    """Read one UBL document; :class:`DocumentError` when it cannot be read."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise DocumentError("(prolog)", "a DOCTYPE or ENTITY declaration",
                            "plain UBL XML without DTDs or entities")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise DocumentError(f"line {error.lineno}", _short(error.msg or "invalid XML"),
                            "well-formed XML") from None
    if root is None or root.getroottree().docinfo.doctype:
        raise DocumentError("(prolog)", "a DOCTYPE", "plain UBL XML without DTDs")
    name = etree.QName(root).localname
    if name == "StandardBusinessDocument":
        payload = [c for c in root if isinstance(c.tag, str)
                   and etree.QName(c).localname != "StandardBusinessDocumentHeader"]
        if not payload:
            raise DocumentError("StandardBusinessDocument", "no payload", "one UBL document")
        root = payload[-1]
        name = etree.QName(root).localname
    if name in SKIPPED_ROOTS:
        return SkippedDocument(name, SKIPPED_ROOTS[name])
    if name not in READ_ROOTS:
        raise DocumentError(name, f"root element {_short(name)}",
                            ", ".join([*READ_ROOTS, *SKIPPED_ROOTS]))
    return _Reader(root, name).document()


class _Reader:
    """Reads the needed fields of one UBL root element."""

    def __init__(self, root: etree._Element, name: str):
        self.root, self.name = root, name
        self.kind = READ_ROOTS[name]
        self.warnings: list[tuple[str, str, str]] = []

    def document(self) -> PurchaseDocument:
        root, kind = self.root, self.kind
        document_id = self.text(root, "cbc:ID")
        if not document_id:
            raise DocumentError(f"{self.name}/cbc:ID", "missing", "the document's id")
        issue_date = self.date(root, "cbc:IssueDate")
        if issue_date is None:  # mandatory in every Peppol BIS 3 document read here
            raise DocumentError(f"{self.name}/cbc:IssueDate", "missing",
                                "the document's issue date")
        type_code = self.text(root, "cbc:InvoiceTypeCode")
        if kind is DocumentKind.INVOICE and type_code in CREDIT_NOTE_TYPE_CODES:
            kind = DocumentKind.CREDIT_NOTE
        seller_path = {
            DocumentKind.INVOICE: "cac:AccountingSupplierParty/cac:Party",
            DocumentKind.CREDIT_NOTE: "cac:AccountingSupplierParty/cac:Party",
            DocumentKind.ORDER: "cac:SellerSupplierParty/cac:Party",
            DocumentKind.ORDER_CANCELLATION: "cac:SellerSupplierParty/cac:Party",
            DocumentKind.DESPATCH_ADVICE: "cac:DespatchSupplierParty/cac:Party",
        }[self.kind]
        seller_element = root.find(seller_path, NS)
        if seller_element is None:
            raise DocumentError(f"{self.name}/{seller_path}", "missing", "the seller party")
        seller = self.party(seller_element)
        if not (seller.org_number or seller.gln or seller.name):
            raise DocumentError(f"{self.name}/{seller_path}", "no id and no name",
                                "an organisation number, a GLN or a name")
        currency = self.text(root, "cbc:DocumentCurrencyCode") or "NOK"
        order_reference = self.text(root, "cac:OrderReference/cbc:ID")
        if self.kind is DocumentKind.ORDER:
            order_reference = document_id
        delivery_date, basis = self.delivery_date()
        gross_kg = self.measure("cac:Shipment/cbc:GrossWeightMeasure", MASS_KG_PER_UNIT)
        gross_m3 = self.measure("cac:Shipment/cbc:GrossVolumeMeasure", VOLUME_M3_PER_UNIT)
        return PurchaseDocument(
            kind=kind, document_id=document_id, seller=seller, delivery=self.place(),
            lines=tuple(self.lines()), issue_date=issue_date,
            delivery_date=delivery_date, delivery_date_basis=basis,
            period=self.period(root, "cac:InvoicePeriod"), order_reference=order_reference,
            billing_reference=self.text(
                root, "cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
            gross_weight_kg=gross_kg, gross_volume_m3=gross_m3,
            freight_nok=self.freight(), currency=currency, warnings=tuple(self.warnings))

    # -- elements -------------------------------------------------------------------

    def text(self, element: etree._Element, path: str) -> str:
        found = element.find(path, NS)
        return (found.text or "").strip() if found is not None else ""

    def where(self, element: etree._Element) -> str:
        return self.root.getroottree().getelementpath(element).replace(
            f"{{{CAC}}}", "cac:").replace(f"{{{CBC}}}", "cbc:").lstrip("/") or self.name

    def number(self, element: etree._Element, path: str) -> float | None:
        found = element.find(path, NS)
        if found is None or not (found.text or "").strip():
            return None
        try:
            value = float(found.text.strip())
        except ValueError:
            value = float("nan")
        if value != value or value in (float("inf"), float("-inf")):
            raise DocumentError(self.where(found), _short(found.text),
                                "a decimal number") from None
        return value

    def date(self, element: etree._Element, path: str) -> dt.date | None:
        found = element.find(path, NS)
        if found is None or not (found.text or "").strip():
            return None
        try:
            return dt.date.fromisoformat(found.text.strip()[:10])
        except ValueError:
            raise DocumentError(self.where(found), _short(found.text),
                                "a date YYYY-MM-DD") from None

    def period(self, element: etree._Element, path: str) -> tuple[dt.date, dt.date] | None:
        found = element.find(path, NS)
        if found is None:
            return None
        start, end = self.date(found, "cbc:StartDate"), self.date(found, "cbc:EndDate")
        if start is None or end is None:
            return None
        if end < start:
            raise DocumentError(self.where(found), f"{start} to {end}",
                                "an end date on or after the start date")
        return start, end

    def measure(self, path: str, factors: dict[str, float]) -> float | None:
        found = self.root.find(path, NS)
        value = self.number(self.root, path)
        if found is None or value is None:
            return None
        unit = found.get("unitCode", "")
        if unit not in factors:
            self.warnings.append((self.where(found), f"unitCode {_short(unit)}",
                                  f"{', '.join(factors)} (the measure is not used)"))
            return None
        if value < 0:
            raise DocumentError(self.where(found), _short(found.text), "zero or more")
        return value * factors[unit]

    def party(self, element: etree._Element) -> Party:
        org, gln = "", ""
        for path in ("cbc:EndpointID", "cac:PartyIdentification/cbc:ID",
                     "cac:PartyLegalEntity/cbc:CompanyID"):
            for found in element.findall(path, NS):
                org, gln = _classify_id(found.get("schemeID", ""), found.text or "", org, gln)
        for found in element.findall("cac:PartyTaxScheme/cbc:CompanyID", NS):
            digits = "".join(c for c in (found.text or "") if c.isdigit())
            if not org and len(digits) == 9:
                org = digits
        name = (self.text(element, "cac:PartyLegalEntity/cbc:RegistrationName")
                or self.text(element, "cac:PartyName/cbc:Name"))
        postcode = self.text(element, "cac:PostalAddress/cbc:PostalZone")
        country = self.text(element, "cac:PostalAddress/cac:Country/cbc:IdentificationCode")
        if not (len(postcode) == 4 and postcode.isdigit() and country in ("", "NO")):
            postcode = ""
        return Party(org_number=org, gln=gln, name=name[:200], postcode=postcode)

    def place(self) -> DeliveryPlace:
        root = self.root
        ids: list[str] = []
        street = postcode = name = ""
        if self.kind is DocumentKind.DESPATCH_ADVICE:
            party = root.find("cac:DeliveryCustomerParty/cac:Party", NS)
            location = root.find("cac:Shipment/cac:Delivery/cac:DeliveryLocation", NS)
        else:
            party = root.find("cac:Delivery/cac:DeliveryParty", NS)
            location = root.find("cac:Delivery/cac:DeliveryLocation", NS)
        for element, id_path, address_path in ((location, "cbc:ID", "cac:Address"),
                                               (party, "cac:PartyIdentification/cbc:ID",
                                                "cac:PostalAddress")):
            if element is None:
                continue
            ids.extend(_ids(element.findall(id_path, NS)))
            if element is party:
                ids.extend(_ids(element.findall("cbc:EndpointID", NS)))
                name = name or self.text(element, "cac:PartyName/cbc:Name")
            street = street or self.text(element, f"{address_path}/cbc:StreetName")
            postcode = postcode or self.text(element, f"{address_path}/cbc:PostalZone")
        buyer_path = ("cac:AccountingCustomerParty/cac:Party"
                      if self.kind in (DocumentKind.INVOICE, DocumentKind.CREDIT_NOTE)
                      else "cac:BuyerCustomerParty/cac:Party")
        buyer = root.find(buyer_path, NS)
        buyer_ids: list[str] = []
        if buyer is not None:
            for path in ("cbc:EndpointID", "cac:PartyIdentification/cbc:ID",
                         "cac:PartyLegalEntity/cbc:CompanyID"):
                buyer_ids.extend(_ids(buyer.findall(path, NS)))
        costs = [self.text(root, "cbc:AccountingCost"), self.text(root, "cbc:BuyerReference")]
        costs.extend((e.text or "").strip() for e in root.iterfind(".//cbc:AccountingCost", NS))
        return DeliveryPlace(ids=tuple(dict.fromkeys(ids)),
                             cost_centres=tuple(dict.fromkeys(c for c in costs if c)),
                             street=street, postcode=postcode, name=name[:200],
                             buyer_ids=tuple(dict.fromkeys(buyer_ids)))

    def delivery_date(self) -> tuple[dt.date | None, str]:
        root = self.root
        delivery = ("cac:Shipment/cac:Delivery" if self.kind is DocumentKind.DESPATCH_ADVICE
                    else "cac:Delivery")
        for path, basis in ((f"{delivery}/cbc:ActualDeliveryDate", "actual"),
                            (f"{delivery}/cac:EstimatedDeliveryPeriod/cbc:StartDate",
                             "estimated"),
                            (f"{delivery}/cac:RequestedDeliveryPeriod/cbc:StartDate",
                             "requested"),
                            (f"{delivery}/cac:Despatch/cbc:ActualDespatchDate", "despatch")):
            value = self.date(root, path)
            if value is not None:
                return value, basis
        if self.kind is DocumentKind.DESPATCH_ADVICE:  # issued when the goods leave
            return self.date(root, "cbc:IssueDate"), "issue_date"
        return None, ""

    def freight(self) -> float:
        total = 0.0
        for charge in self.root.findall("cac:AllowanceCharge", NS):
            if self.text(charge, "cbc:ChargeIndicator").lower() != "true":
                continue
            code = self.text(charge, "cbc:AllowanceChargeReasonCode").upper()
            reason = self.text(charge, "cbc:AllowanceChargeReason").lower()
            if code in FREIGHT_CHARGE_CODES or any(w in reason for w in FREIGHT_WORDS):
                total += self.number(charge, "cbc:Amount") or 0.0
        return total

    def lines(self) -> Iterable[PurchaseLine]:
        line_path, quantity_path = {
            DocumentKind.INVOICE: ("cac:InvoiceLine", "cbc:InvoicedQuantity"),
            DocumentKind.CREDIT_NOTE: ("cac:CreditNoteLine", "cbc:CreditedQuantity"),
            DocumentKind.ORDER: ("cac:OrderLine/cac:LineItem", "cbc:Quantity"),
            DocumentKind.DESPATCH_ADVICE: ("cac:DespatchLine", "cbc:DeliveredQuantity"),
            DocumentKind.ORDER_CANCELLATION: ("cac:OrderLine/cac:LineItem", "cbc:Quantity"),
        }[self.kind]
        if self.name == "Invoice" and self.kind is DocumentKind.CREDIT_NOTE:
            line_path, quantity_path = "cac:InvoiceLine", "cbc:InvoicedQuantity"
        for number, line in enumerate(self.root.findall(line_path, NS), start=1):
            quantity_element = line.find(quantity_path, NS)
            quantity = self.number(line, quantity_path)
            if quantity is None:
                raise DocumentError(f"{self.where(line)}/{quantity_path}", "missing",
                                    "the line's quantity")
            item = line.find("cac:Item", NS)
            unspsc = seller_category = ""
            gtin = seller_item = item_name = ""
            if item is not None:
                item_name = self.text(item, "cbc:Name")
                gtin = self.text(item, "cac:StandardItemIdentification/cbc:ID")
                seller_item = self.text(item, "cac:SellersItemIdentification/cbc:ID")
                for code in item.findall("cac:CommodityClassification/"
                                         "cbc:ItemClassificationCode", NS):
                    if code.get("listID", "").upper() == "STI":
                        unspsc = unspsc or (code.text or "").strip()
                    else:
                        seller_category = seller_category or (code.text or "").strip()
            yield PurchaseLine(
                line_id=self.text(line, "cbc:ID") or str(number),
                quantity=quantity,
                unit_code=(quantity_element.get("unitCode", "") if quantity_element is not None
                           else ""),
                amount_nok=self.number(line, "cbc:LineExtensionAmount"),
                item_name=item_name[:200], gtin=gtin[:50], seller_item_id=seller_item[:100],
                unspsc=unspsc[:20], seller_category=seller_category[:100],
                period=self.period(line, "cac:InvoicePeriod"))


def _classify_id(scheme: str, text: str, org: str, gln: str) -> tuple[str, str]:
    """Sort one party id into organisation number (ICD 0192) or GLN (ICD 0088)."""
    value = text.strip()
    digits = "".join(c for c in value if c.isdigit())
    if scheme == "0192" or (not scheme and len(digits) == 9 and digits == value):
        org = org or digits
    elif scheme == "0088" or (not scheme and len(digits) == 13 and digits == value):
        gln = gln or digits
    return org, gln


def _ids(elements: list[etree._Element]) -> list[str]:
    return [(e.text or "").strip() for e in elements if (e.text or "").strip()]


def _short(value: object) -> str:
    text = " ".join(str(value).split())
    return repr(text if len(text) <= MAX_FOUND_CHARS else text[:MAX_FOUND_CHARS] + "...")
