"""UBL 2.1 texts of the GENERATED purchase year, written from the public Peppol
specifications (docs.peppol.eu): BIS Billing 3.0 invoices and credit notes, Despatch
Advice 3, and the document types that carry no delivery (invoice response, order
response, catalogue). EHF conventions: parties by Norwegian organisation number
(scheme 0192), delivery locations by organisation number or GLN (scheme 0088), items
classified by UNSPSC (``listID="STI"``), quantities in UN/ECE Rec. 20 unit codes.

Every document carries a note saying it is GENERATED. People named in the documents
(contacts, references, delivery notes) are made up from common Norwegian names, so an
importer's tests can check that none of them reaches an output.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from logistics.model.domain import Unit
from logistics.purchases.generated_year import Delivery, Line, Seller

BUYER_ORG_NUMBER = "964338531"
"""Bergen kommune (Enhetsregisteret, public)."""
BUYER_NAME = "Bergen kommune"
LABEL = ("GENERATED test document: fictitious seller, items, prices and people "
         "(Bergen purchase year generator).")
NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
ROOT_NAMESPACE = "urn:oasis:names:specification:ubl:schema:xsd:{}-2"
BILLING_CUSTOMIZATION = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
BILLING_PROFILE = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
DESPATCH_CUSTOMIZATION = "urn:fdc:peppol.eu:poacc:trns:despatch_advice:3"
DESPATCH_PROFILE = "urn:fdc:peppol.eu:poacc:bis:despatch_advice:3"
FIRST_NAMES = ("Kari", "Ola", "Ingrid", "Lars", "Silje", "Eirik", "Marte", "Håkon", "Nora",
               "Sindre", "Ragnhild", "Torbjørn")
LAST_NAMES = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen",
              "Kristiansen", "Jensen", "Karlsen", "Haugland", "Vik")
GLN_PREFIX = "2080001"
"""Schools' GLNs start in GS1's restricted-circulation range (prefixes 20-29), which
is never assigned to a company, so no made-up GLN is a real one."""
FREIGHT_REASON_CODE = "FC"
"""UNCL 7161 freight service, for a freight charge on the document level."""


@dataclass(frozen=True)
class Person:
    """A made-up contact person."""

    name: str
    phone: str
    email: str

    @property
    def values(self) -> tuple[str, str, str]:
        return (self.name, self.phone, self.email)


def person(seed: int, key: str, domain: str) -> Person:
    """The made-up person of ``key`` (deterministic by seed)."""
    rng = random.Random(f"{seed}:person:{key}")
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    digits = f"{rng.randrange(10_000_000):07d}"
    phone = f"+47 9{digits[:2]} {digits[2:4]} {digits[4:]}"
    local = f"{first}.{last}".lower().replace("å", "a").replace("ø", "o")
    return Person(f"{first} {last}", phone, f"{local}@{domain}.example")


def gln_with_check_digit(first_twelve: str) -> str:
    """A GLN (GS1 13 digits): ``first_twelve`` and its modulus-10 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return f"{first_twelve}{(10 - total % 10) % 10}"


def _amount(value: float) -> str:
    return f"{value:.2f}"


def _money(element: str, value: float) -> str:
    """A ``cbc`` amount element in NOK."""
    return f'<cbc:{element} currencyID="NOK">{_amount(value)}</cbc:{element}>'


def _quantity(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class UnitAddressing:
    """How documents name a unit: kindergartens by their organisation number (0192),
    schools by a made-up GLN (0088, :data:`GLN_PREFIX`); every unit has an illustrative
    cost centre (``ansvar``) in ``AccountingCost``."""

    scheme: str
    identifier: str
    cost_centre: str


def unit_addressing(units: Sequence[Unit]) -> dict[str, UnitAddressing]:
    """Each unit's identifiers, by unit id, in the units' order."""
    addressing = {}
    for index, unit in enumerate(units):
        digits = unit.id.removeprefix("kg-").split("-")[0]
        if unit.id.startswith("kg-") and digits.isdigit() and len(digits) == 9 \
                and unit.id.count("-") == 1:
            scheme, identifier = "0192", digits
        else:
            scheme, identifier = "0088", gln_with_check_digit(f"{GLN_PREFIX}{index:05d}")
        addressing[unit.id] = UnitAddressing(scheme, identifier, f"{200000 + 10 * index}")
    return addressing


class DocumentWriter:
    """UBL texts for the deliveries of one GENERATED year; party blocks are built once
    per seller and unit."""

    def __init__(self, units: Sequence[Unit], seed: int) -> None:
        self.seed = seed
        self.addressing = unit_addressing(units)
        self._seller_parties: dict[tuple[str, str], str] = {}
        self._unit_blocks: dict[tuple[str, str], str] = {}
        self.people: dict[str, Person] = {}

    def _person(self, key: str, domain: str) -> Person:
        found = self.people.get(key)
        if found is None:
            found = self.people[key] = person(self.seed, key, domain)
        return found

    def seller_person(self, seller: Seller) -> Person:
        return self._person(f"seller:{seller.id}", seller.id.removeprefix("gen-"))

    def unit_person(self, unit: Unit) -> Person:
        return self._person(f"unit:{unit.id}", "bergen-kommune")

    # -- parties ----------------------------------------------------------------------
    def _seller_party(self, seller: Seller, role: str) -> str:
        key = (seller.id, role)
        block = self._seller_parties.get(key)
        if block is None:
            contact = self.seller_person(seller)
            tax = (f"<cac:PartyTaxScheme><cbc:CompanyID>NO{seller.org_number}MVA</cbc:CompanyID>"
                   "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
                   if role == "AccountingSupplierParty" else "")
            block = self._seller_parties[key] = (
                f"<cac:{role}><cac:Party>"
                f'<cbc:EndpointID schemeID="0192">{seller.org_number}</cbc:EndpointID>'
                f'<cac:PartyIdentification><cbc:ID schemeID="0192">{seller.org_number}</cbc:ID>'
                f"</cac:PartyIdentification>"
                f"<cac:PartyName><cbc:Name>{escape(seller.name)}</cbc:Name></cac:PartyName>"
                f"<cac:PostalAddress><cbc:StreetName>{escape(seller.street)}</cbc:StreetName>"
                f"<cbc:CityName>{escape(seller.city)}</cbc:CityName>"
                f"<cbc:PostalZone>{seller.postal_code}</cbc:PostalZone>"
                "<cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country>"
                f"</cac:PostalAddress>{tax}"
                f"<cac:PartyLegalEntity><cbc:RegistrationName>{escape(seller.name)}"
                f'</cbc:RegistrationName><cbc:CompanyID schemeID="0192">{seller.org_number}'
                "</cbc:CompanyID></cac:PartyLegalEntity>"
                f"{self._contact('Contact', contact)}</cac:Party></cac:{role}>")
        return block

    @staticmethod
    def _contact(element: str, who: Person) -> str:
        return (f"<cac:{element}><cbc:Name>{escape(who.name)}</cbc:Name>"
                f"<cbc:Telephone>{who.phone}</cbc:Telephone>"
                f"<cbc:ElectronicMail>{who.email}</cbc:ElectronicMail></cac:{element}>")

    def _buyer_party(self, unit: Unit) -> str:
        key = (unit.id, "buyer")
        block = self._unit_blocks.get(key)
        if block is None:
            block = self._unit_blocks[key] = (
                "<cac:AccountingCustomerParty><cac:Party>"
                f'<cbc:EndpointID schemeID="0192">{BUYER_ORG_NUMBER}</cbc:EndpointID>'
                f"<cac:PartyName><cbc:Name>{BUYER_NAME}</cbc:Name></cac:PartyName>"
                "<cac:PostalAddress><cbc:StreetName>Postboks 7700</cbc:StreetName>"
                "<cbc:CityName>Bergen</cbc:CityName><cbc:PostalZone>5020</cbc:PostalZone>"
                "<cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country>"
                "</cac:PostalAddress>"
                f"<cac:PartyLegalEntity><cbc:RegistrationName>{BUYER_NAME}</cbc:RegistrationName>"
                f'<cbc:CompanyID schemeID="0192">{BUYER_ORG_NUMBER}</cbc:CompanyID>'
                "</cac:PartyLegalEntity>"
                f"{self._contact('Contact', self.unit_person(unit))}"
                "</cac:Party></cac:AccountingCustomerParty>")
        return block

    def _delivery_location(self, unit: Unit, seller: Seller) -> str:
        """The delivery location of an invoice: the unit's identifier (a tail seller
        sometimes names the unit only), its name and an attention line."""
        key = (unit.id, f"location:{seller.framework}")
        block = self._unit_blocks.get(key)
        if block is None:
            ids = self.addressing[unit.id]
            identifier = (f'<cbc:ID schemeID="{ids.scheme}">{ids.identifier}</cbc:ID>'
                          if seller.framework or ids.scheme == "0192" else "")
            block = self._unit_blocks[key] = (
                f"<cac:DeliveryLocation>{identifier}<cac:Address>"
                "<cbc:CityName>Bergen</cbc:CityName>"
                f"<cac:AddressLine><cbc:Line>Att. {escape(self.unit_person(unit).name)}"
                "</cbc:Line></cac:AddressLine>"
                "<cac:Country><cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country>"
                "</cac:Address></cac:DeliveryLocation>"
                f"<cac:DeliveryParty><cac:PartyName><cbc:Name>{escape(unit.name)}</cbc:Name>"
                "</cac:PartyName></cac:DeliveryParty>")
        return block

    def _note(self, unit: Unit) -> str:
        who = self.unit_person(unit)
        return (f"<cbc:Note>{LABEL} Bestilt av {escape(who.name)}, tlf {who.phone}, "
                f"{who.email}.</cbc:Note>")

    # -- invoices and credit notes ----------------------------------------------------
    def invoice(self, document_id: str, issue_date: dt.date, seller: Seller, unit: Unit,
                lines: Sequence[Line], charges: Sequence[Line],
                delivery_date: dt.date | None, period: tuple[dt.date, dt.date] | None,
                credited_invoice: str | None = None) -> str:
        """A BIS Billing 3.0 invoice, or a credit note of ``credited_invoice``. It names
        a delivery date, or only an invoice period."""
        kind = "CreditNote" if credited_invoice else "Invoice"
        freight_charge = [c for c in charges if c.item.category == "freight"
                          and seller.freight == "charge"]
        invoiced = [*lines, *(c for c in charges if c not in freight_charge)]
        line_total = sum(line.amount_nok for line in invoiced)
        charge_total = sum(c.amount_nok for c in freight_charge)
        vat: dict[float, float] = defaultdict(float)
        for line in invoiced:
            vat[line.item.vat_percent] += line.amount_nok
        for charge in freight_charge:
            vat[charge.item.vat_percent] += charge.amount_nok
        tax_total = round(sum(round(base * rate / 100, 2) for rate, base in vat.items()), 2)
        exclusive = round(line_total + charge_total, 2)
        ids = self.addressing[unit.id]
        buyer_reference = (self.unit_person(unit).name if ids.scheme == "0192"
                           else f"REF-{ids.cost_centre}")
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<{kind} xmlns="{ROOT_NAMESPACE.format(kind)}" xmlns:cac="{NAMESPACES["cac"]}" '
            f'xmlns:cbc="{NAMESPACES["cbc"]}">',
            f"<cbc:CustomizationID>{BILLING_CUSTOMIZATION}</cbc:CustomizationID>",
            f"<cbc:ProfileID>{BILLING_PROFILE}</cbc:ProfileID>",
            f"<cbc:ID>{document_id}</cbc:ID>",
            f"<cbc:IssueDate>{issue_date.isoformat()}</cbc:IssueDate>",
        ]
        if kind == "Invoice":
            parts.append(f"<cbc:DueDate>{(issue_date + dt.timedelta(days=30)).isoformat()}"
                         "</cbc:DueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>")
        else:
            parts.append("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>")
        parts += [self._note(unit), "<cbc:DocumentCurrencyCode>NOK</cbc:DocumentCurrencyCode>",
                  f"<cbc:AccountingCost>{ids.cost_centre}</cbc:AccountingCost>",
                  f"<cbc:BuyerReference>{escape(buyer_reference)}</cbc:BuyerReference>"]
        if period is not None:
            parts.append(f"<cac:InvoicePeriod><cbc:StartDate>{period[0].isoformat()}"
                         f"</cbc:StartDate><cbc:EndDate>{period[1].isoformat()}</cbc:EndDate>"
                         "</cac:InvoicePeriod>")
        if credited_invoice:
            parts.append("<cac:BillingReference><cac:InvoiceDocumentReference>"
                         f"<cbc:ID>{credited_invoice}</cbc:ID></cac:InvoiceDocumentReference>"
                         "</cac:BillingReference>")
        parts += [self._seller_party(seller, "AccountingSupplierParty"), self._buyer_party(unit),
                  "<cac:Delivery>"]
        if delivery_date is not None:
            parts.append(f"<cbc:ActualDeliveryDate>{delivery_date.isoformat()}"
                         "</cbc:ActualDeliveryDate>")
        parts += [self._delivery_location(unit, seller), "</cac:Delivery>"]
        if kind == "Invoice":
            parts.append('<cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>'
                         f"<cac:PayeeFinancialAccount><cbc:ID>1503{seller.org_number[:7]}"
                         "</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>")
        for charge in freight_charge:
            parts.append("<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
                         f"<cbc:AllowanceChargeReasonCode>{FREIGHT_REASON_CODE}"
                         "</cbc:AllowanceChargeReasonCode>"
                         "<cbc:AllowanceChargeReason>Frakt</cbc:AllowanceChargeReason>"
                         f'<cbc:Amount currencyID="NOK">{_amount(charge.amount_nok)}</cbc:Amount>'
                         f"{_tax_category(charge.item.vat_percent)}</cac:AllowanceCharge>")
        parts.append(f'<cac:TaxTotal><cbc:TaxAmount currencyID="NOK">{_amount(tax_total)}'
                     "</cbc:TaxAmount>")
        for rate, base in sorted(vat.items()):
            parts.append(f'<cac:TaxSubtotal><cbc:TaxableAmount currencyID="NOK">{_amount(base)}'
                         f'</cbc:TaxableAmount><cbc:TaxAmount currencyID="NOK">'
                         f"{_amount(round(base * rate / 100, 2))}</cbc:TaxAmount>"
                         f"{_tax_category(rate)}</cac:TaxSubtotal>")
        parts.append("</cac:TaxTotal>")
        charges_element = _money("ChargeTotalAmount", charge_total) if freight_charge else ""
        parts.append(
            f'<cac:LegalMonetaryTotal>{_money("LineExtensionAmount", line_total)}'
            f'{_money("TaxExclusiveAmount", exclusive)}'
            f'{_money("TaxInclusiveAmount", exclusive + tax_total)}{charges_element}'
            f'{_money("PayableAmount", exclusive + tax_total)}</cac:LegalMonetaryTotal>')
        line_element, quantity_element = (
            ("CreditNoteLine", "CreditedQuantity") if credited_invoice
            else ("InvoiceLine", "InvoicedQuantity"))
        line_note = ("" if seller.framework else  # shops write who took the goods
                     f"<cbc:Note>Hentet av {escape(self.unit_person(unit).name)}</cbc:Note>")
        for number, line in enumerate(invoiced, start=1):
            parts.append(
                f"<cac:{line_element}><cbc:ID>{number}</cbc:ID>{line_note if number == 1 else ''}"
                f'<cbc:{quantity_element} unitCode="{line.item.unit_code}">'
                f"{_quantity(line.quantity)}</cbc:{quantity_element}>"
                f'<cbc:LineExtensionAmount currencyID="NOK">{_amount(line.amount_nok)}'
                f"</cbc:LineExtensionAmount>{_item(line)}"
                f'<cac:Price><cbc:PriceAmount currencyID="NOK">'
                f"{_amount(line.item.price_nok_per_unit)}</cbc:PriceAmount></cac:Price>"
                f"</cac:{line_element}>")
        parts.append(f"</{kind}>\n")
        return "".join(parts)

    # -- despatch advices -------------------------------------------------------------
    def despatch_advice(self, document_id: str, delivery: Delivery, order_id: str) -> str:
        """A Despatch Advice 3 of ``delivery``: gross weight, handling units, the
        delivery date as the estimated delivery period and the despatch date."""
        unit, seller, day = delivery.unit, delivery.seller, delivery.day.isoformat()
        ids = self.addressing[unit.id]
        endpoint = ids.identifier if ids.scheme == "0192" else BUYER_ORG_NUMBER
        endpoint_scheme = "0192"
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<DespatchAdvice xmlns="{ROOT_NAMESPACE.format("DespatchAdvice")}" '
            f'xmlns:cac="{NAMESPACES["cac"]}" xmlns:cbc="{NAMESPACES["cbc"]}">',
            f"<cbc:CustomizationID>{DESPATCH_CUSTOMIZATION}</cbc:CustomizationID>",
            f"<cbc:ProfileID>{DESPATCH_PROFILE}</cbc:ProfileID>",
            f"<cbc:ID>{document_id}</cbc:ID><cbc:IssueDate>{day}</cbc:IssueDate>",
            self._note(unit),
            f"<cac:OrderReference><cbc:ID>{order_id}</cbc:ID></cac:OrderReference>",
            self._seller_party(seller, "DespatchSupplierParty"),
            "<cac:DeliveryCustomerParty><cac:Party>"
            f'<cbc:EndpointID schemeID="{endpoint_scheme}">{endpoint}</cbc:EndpointID>'
            f'<cac:PartyIdentification><cbc:ID schemeID="{ids.scheme}">{ids.identifier}'
            "</cbc:ID></cac:PartyIdentification>"
            f"<cac:PartyName><cbc:Name>{escape(unit.name)}</cbc:Name></cac:PartyName>"
            "<cac:PostalAddress><cbc:CityName>Bergen</cbc:CityName><cac:Country>"
            "<cbc:IdentificationCode>NO</cbc:IdentificationCode></cac:Country></cac:PostalAddress>"
            f"<cac:PartyLegalEntity><cbc:RegistrationName>{escape(unit.name)}"
            "</cbc:RegistrationName></cac:PartyLegalEntity></cac:Party>"
            f"{self._contact('DeliveryContact', self.unit_person(unit))}"
            "</cac:DeliveryCustomerParty>",
            f"<cac:Shipment><cbc:ID>{document_id}</cbc:ID>"
            f'<cbc:GrossWeightMeasure unitCode="KGM">{delivery.gross_kg:.1f}'
            "</cbc:GrossWeightMeasure>"
            f"<cbc:TotalTransportHandlingUnitQuantity>{delivery.handling_units}"
            "</cbc:TotalTransportHandlingUnitQuantity>"
            f"<cac:Delivery><cac:EstimatedDeliveryPeriod><cbc:StartDate>{day}</cbc:StartDate>"
            f"<cbc:EndDate>{day}</cbc:EndDate></cac:EstimatedDeliveryPeriod>"
            f"<cac:Despatch><cbc:ActualDespatchDate>{day}</cbc:ActualDespatchDate></cac:Despatch>"
            "</cac:Delivery></cac:Shipment>",
        ]
        for number, line in enumerate(delivery.lines, start=1):
            parts.append(
                f"<cac:DespatchLine><cbc:ID>{number}</cbc:ID>"
                f'<cbc:DeliveredQuantity unitCode="{line.item.unit_code}">'
                f"{_quantity(line.quantity)}</cbc:DeliveredQuantity>"
                f"<cac:OrderLineReference><cbc:LineID>{number}</cbc:LineID></cac:OrderLineReference>"
                f"{_item(line, tax=False)}</cac:DespatchLine>")
        parts.append("</DespatchAdvice>\n")
        return "".join(parts)


def _tax_category(rate: float) -> str:
    return (f"<cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>{rate:g}</cbc:Percent>"
            "<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>")


def _item(line: Line, tax: bool = True) -> str:
    item = line.item
    classification = ""
    if item.unspsc and item.classification == "STI":
        classification = ('<cac:CommodityClassification><cbc:ItemClassificationCode '
                          f'listID="STI">{item.unspsc}</cbc:ItemClassificationCode>'
                          "</cac:CommodityClassification>")
    elif item.classification == "seller":
        classification = ('<cac:CommodityClassification><cbc:ItemClassificationCode '
                          f'listID="ZZZ">{item.category}</cbc:ItemClassificationCode>'
                          "</cac:CommodityClassification>")
    tax_element = (f"<cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>"
                   f"{item.vat_percent:g}</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID>"
                   "</cac:TaxScheme></cac:ClassifiedTaxCategory>" if tax else "")
    return (f"<cac:Item><cbc:Name>{escape(item.name)}</cbc:Name>"
            f"<cac:SellersItemIdentification><cbc:ID>{item.item_id}</cbc:ID>"
            f"</cac:SellersItemIdentification>{classification}{tax_element}</cac:Item>")


def no_delivery_document(kind: str, document_id: str, issue_date: dt.date, seller: Seller,
                         reference: str) -> str:
    """A document type that carries no delivery: ``ApplicationResponse`` (invoice
    response), ``OrderResponse`` or ``Catalogue``, with its Peppol identifiers."""
    customization = {
        "ApplicationResponse": "urn:fdc:peppol.eu:poacc:trns:invoice_response:3",
        "OrderResponse": "urn:fdc:peppol.eu:poacc:trns:order_response:3",
        "Catalogue": "urn:fdc:peppol.eu:poacc:trns:catalogue:3"}[kind]
    body = {
        "ApplicationResponse": "<cac:DocumentResponse><cac:Response><cbc:ResponseCode>AP"
                               "</cbc:ResponseCode></cac:Response><cac:DocumentReference>"
                               f"<cbc:ID>{reference}</cbc:ID></cac:DocumentReference>"
                               "</cac:DocumentResponse>",
        "OrderResponse": "<cbc:OrderResponseCode>AP</cbc:OrderResponseCode><cac:OrderReference>"
                         f"<cbc:ID>{reference}</cbc:ID></cac:OrderReference>",
        "Catalogue": f"<cbc:Name>{escape(seller.name)} katalog</cbc:Name>"}[kind]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<{kind} xmlns="{ROOT_NAMESPACE.format(kind)}" xmlns:cac="{NAMESPACES["cac"]}" '
            f'xmlns:cbc="{NAMESPACES["cbc"]}">'
            f"<cbc:CustomizationID>{customization}</cbc:CustomizationID>"
            f"<cbc:ID>{document_id}</cbc:ID><cbc:IssueDate>{issue_date.isoformat()}"
            f"</cbc:IssueDate><cbc:Note>{escape(LABEL)}</cbc:Note>{body}</{kind}>\n")


def external_entity_document(valid_invoice: str) -> str:
    """``valid_invoice`` with a DOCTYPE declaring an external entity used in its note
    (a safe parser must refuse or ignore it, never read the file)."""
    head, rest = valid_invoice.split("\n", 1)
    root = rest[1:rest.index(" ")]
    doctype = f'<!DOCTYPE {root} [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    return head + "\n" + doctype + rest.replace("<cbc:Note>", "<cbc:Note>&secret;", 1)


def entity_expansion_document(valid_invoice: str, levels: int = 9) -> str:
    """``valid_invoice`` with nested entities that would expand to gigabytes (a
    "billion laughs")."""
    head, rest = valid_invoice.split("\n", 1)
    root = rest[1:rest.index(" ")]
    entities = ['<!ENTITY e0 "GENERATEDGENERATED">'] + [
        f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, levels + 1)]
    doctype = f"<!DOCTYPE {root} [{''.join(entities)}]>\n"
    return head + "\n" + doctype + rest.replace("<cbc:Note>", f"<cbc:Note>&e{levels};", 1)


def without_element(document: str, element: str) -> str:
    """``document`` without its first ``element`` (e.g. ``cbc:IssueDate``) and all
    it holds."""
    start = document.index(f"<{element}")
    end = document.index(f"</{element}>", start) + len(f"</{element}>")
    return document[:start] + document[end:]
