"""The report's language: every text it shows, in English (``en``) or bokmål (``nb``),
and numbers written the way each language writes them.

One lookup table per language (:data:`EN`, :data:`NB`) holds every text by key, those
of the static maps (``map.*``) and the interactive map (``webmap.*``) too; the English
KPI and decomposition labels are those of :mod:`logistics.outputs.tables`, so they read
the same in a terminal and in the report. Numbers: ``en`` ``1,234.5``; ``nb`` ``1 234,5`` with
U+2009 THIN SPACE between thousands and a decimal comma. Category names come from the
study's ``categories.csv`` (``name`` or ``name_nb``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from logistics.accounting.kpi import RATIO_KPIS
from logistics.errors import InputError, Problem
from logistics.io.tables import load_table
from logistics.model.domain import Category
from logistics.outputs.tables import DECOMPOSITION_LABELS, IMPACT_LABELS, KPI_LABELS, Label
from logistics.pipeline.result import APPROXIMATE_NOTE, ILLUSTRATIVE_NOTE

LANGUAGES = ("en", "nb")
THIN_SPACE = "\u2009"
NO_VALUE = "–"

EN: dict[str, str] = {
    **{f"kpi.{label.key}": label.text for label in KPI_LABELS},
    **{f"impact.{label.key}": label.text for label in IMPACT_LABELS},
    **{f"part.{key}": text for key, text in DECOMPOSITION_LABELS.items()},
    "period.week": "week",
    "period.year": "year",
    "design.direct": "direct",
    "design.consolidated": "consolidated",
    "travel.crow_fly": "crow-fly",
    "travel.road": "road network",
    "part.baseline": "baseline",
    "part.total": "scenario",
    "metric.vehicle_km": "vehicle-km / week",
    "metric.co2e_wtw_kg": "CO2e WTW kg / week",
    "metric.cost_nok": "cost NOK / week",
    "title": "Bergen kommune: direct or consolidated deliveries",
    "subtitle": "Vehicle-km, emissions, cost and supply security of {count} scenarios; "
                "baseline {baseline}",
    "contents": "Contents",
    "section.question": "The question",
    "section.comparison": "The scenarios compared",
    "section.maps": "Maps",
    "section.decomposition": "Where the saving comes from",
    "section.security": "Supply security",
    "section.study": "Study results",
    "section.method": "Method and sources",
    "section.caveats": "Caveats",
    "section.files": "Files of this report",
    "question.p1": "Bergen kommune buys goods and services for about NOK 6.7 bn a year "
                   "(NOK 6.74 bn in 2020). Its procurement strategy 2022-2025 "
                   "(Anskaffelsesstrategi 2022-2025, adopted by the city council on "
                   "22 June 2022) has climate, environment and social responsibility among "
                   "its focus areas (bergen.kommune.no). This report serves two of its "
                   "aims: more sustainable logistics and secure supply.",
    "question.p2": "Today every supplier drives its own vehicles to every kindergarten and "
                   "school. Municipalities that coordinate deliveries through one hub, "
                   "from which the municipality delivers one consolidated load per unit, "
                   "report far fewer deliveries: Kungsbacka went from about 60,000 to about "
                   "14,000 deliveries a year (kungsbacka.se, 2017 and sustainability report "
                   "2021); an Oslo study found up to 38 % fewer vehicle-km in one scenario "
                   "(NHO Transport og logistikk and Oslo kommune, \"Hele lasten, halve "
                   "utslippet\"). Results differ: in Södertörn deliveries halved but "
                   "vehicle-km fell only 4 %, and most of the CO2 cut came from biodiesel "
                   "(IVL 2018). This report therefore separates the effect of consolidation "
                   "from that of vehicles and fuel.",
    "question.p3": "The question: what would consolidated deliveries through a municipal "
                   "hub change against today's direct deliveries, in vehicle-km, hours, "
                   "CO2e, NOx, PM and cost, and how do the designs hold up when something "
                   "fails?",
    "comparison.year": "KPIs per year (change against {baseline})",
    "comparison.week": "KPIs per week (change against {baseline})",
    "comparison.kpi": "KPI",
    "comparison.design": "design",
    "comparison.travel": "travel model",
    "charts.kpi_bars": "KPIs per year, each scenario against the baseline {baseline}",
    "charts.waterfall": "{baseline} to {scenario}: the change per week and its parts",
    "charts.distributions": "Monte Carlo: {samples} random disruptions per design",
    "maps.intro": "Routes by vehicle type, the hub used, supplier depots and units sized by "
                  "demand; red crosses mark units not fully served. Each map is also in "
                  "maps/ as PNG (300 dpi), SVG and PDF.",
    "maps.web": "Open the interactive map",
    "decomposition.intro": "The change per week against the baseline split into parts that "
                           "sum to it (logarithmic mean Divisia index, LMDI, no residual): "
                           "the number of stops at the same tonne-km per stop; tonne-km per "
                           "stop (bigger drops and how far each stop's goods ride: hub "
                           "location, trunk distance); how full the vehicles run; vehicle "
                           "size and the energy per vehicle-km (fleet, fuel); and, for CO2e "
                           "and cost, the hubs' own operations. Fewer stops alone do not "
                           "save km when each stop then carries more: read the first two "
                           "parts together.",
    "decomposition.missing": "This comparison carries no decomposition of the change (the "
                             "result folders were compared before it was computed).",
    "decomposition.part": "part",
    "security.missing": "Supply security was not analysed for this report. Run "
                        "'logistics resilience SCENARIO.yaml --samples 20 --json > "
                        "resilience.json' and pass the file with '--resilience "
                        "resilience.json'.",
    "security.intro": "Scenario {scenario} with its disruptions ({disruptions}), each design "
                      "disrupted against its normal week.",
    "security.none": "none",
    "security.metric": "metric",
    "security.better": "holds up better",
    "security.equal": "equal",
    "security.concentration": "Supplier concentration: HHI of all goods {hhi}; {single} of "
                              "{units} units depend on a single supplier without alternate "
                              "for at least one category.",
    "security.links_missing": "Critical links: not computed: {reason}",
    "security.links": "Critical links (of the {count} most-used ways)",
    "security.link_way": "OSM way",
    "security.link_street": "street",
    "security.link_units": "units cut off",
    "security.link_km": "extra km / week",
    "security.carlo": "Monte Carlo: {samples} samples ({kinds})",
    "security.carlo_design": "design",
    "security.served_p5": "served share p5",
    "security.served_median": "served share median",
    "security.served_p95": "served share p95",
    "security.cost_p5": "extra cost NOK p5",
    "security.cost_median": "extra cost NOK median",
    "security.cost_p95": "extra cost NOK p95",
    "security.not_applied": "Not applied: {label}: {reason}",
    "security.unmet": "{design}: unmet kg / week by category: {items}",
    "security.served_share": "served demand share",
    "security.extra_cost": "extra cost NOK / week",
    "study.missing": "No batch study was given for this report. Run 'logistics study run "
                     "studies/bergen-hub-choice.yaml' (the hub candidates: trade-off table "
                     "and Pareto front) and 'logistics study run "
                     "studies/bergen-sensitivity.yaml' (the range of the headline saving: "
                     "tornado), each writing results/studies/<study name>/, and pass the "
                     "folders with '--study results/studies/bergen-hub-choice --study "
                     "results/studies/bergen-sensitivity'.",
    "study.title": "Study {name}",
    "study.counts": "{total} variants: {done} done, {failed} failed, {pending} pending.",
    "study.caveat": "Study {name} is incomplete: {failed} variants failed and {pending} are "
                    "pending. Its tables use the {done} done variants only and may change "
                    "when 'logistics study run' finishes it.",
    "study.trade_off": "Trade-off of the {axis} options (Pareto-optimal: no other option is "
                       "at least as good on every criterion and better on one)",
    "study.option": "option",
    "study.pareto": "Pareto-optimal",
    "study.yes": "yes",
    "study.better.lower": "lower is better",
    "study.better.higher": "higher is better",
    "study.headline": "Headline: the {metric} saving of {option} over {baseline} ({axis}) is "
                      "{saving} at the base setting.",
    "study.tornado": "The headline saving with each input low and high, every other input "
                     "at the base (widest range first)",
    "study.input": "input",
    "study.saving_low": "saving, input low",
    "study.saving_high": "saving, input high",
    "study.saving_base": "saving, base",
    "study.range": "range (percentage points)",
    "study.flips_sign": "changes sign",
    "study.note": "where the range comes from",
    "charts.trade_off": "Study {name}: the {axis} options on the first two criteria, the "
                        "Pareto front marked",
    "charts.tornado": "Study {name}: range of the headline saving per input",
    "workbook.trade_off": "Trade-off",
    "workbook.tornado": "Tornado",
    "workbook.rank": "{criterion} rank",
    "method.emissions": "Emissions: {method}; allocation by {allocation}; electricity "
                        "{basis} ({electricity} kg CO2e/kWh); biogenic CO2 {biogenic}; "
                        "carbon price {price} NOK/t CO2e ({price_year}).",
    "method.travel_crow_fly": "{scenario}: crow-fly distances times a detour factor of "
                              "{detour}, speeds by distance band.",
    "method.travel_road": "{scenario}: shortest paths on the road network '{network}' "
                          "(OpenStreetMap), free-flow speeds.",
    "method.factor_sources": "Sources of the factor tables",
    "method.study_sources": "Sources of the study data",
    "method.source_file": "file",
    "method.source_row": "row",
    "method.source": "source",
    "method.sources_file": "Every table of the study data, its selection and its assumptions "
                           "are documented in {file}.",
    "caveat.illustrative": ILLUSTRATIVE_NOTE,
    "caveat.crow_fly": APPROXIMATE_NOTE,
    "caveat.road": "Travel follows the road network without traffic: times are free-flow.",
    "caveat.electricity": "Electricity is counted on the basis {basis} at {electricity} kg "
                          "CO2e/kWh ({source}). Electric vehicles' CO2e scales with this "
                          "factor; the other bases of the factor tables: {others}.",
    "caveat.notes": "Notes the results carry",
    "files.workbook": "The comparison as a workbook (one sheet per table)",
    "files.gis": "GIS layers of {scenario} (GeoPackage and GeoJSON, EPSG:4326)",
    "files.charts": "Charts (SVG and PNG)",
    "workbook.week": "KPIs (week)",
    "workbook.year": "KPIs (year)",
    "workbook.decomposition": "Decomposition",
    "workbook.routes": "Routes",
    "workbook.unserved": "Unserved",
    "workbook.notes": "Notes and method",
    "workbook.about": "About",
    "workbook.key": "key",
    "workbook.change": "{scenario} change",
    "workbook.change_pct": "{scenario} change %",
    "workbook.scenario": "scenario",
    "workbook.metric": "metric",
    "workbook.value": "value / week",
    "workbook.kind": "route kind",
    "workbook.vehicle_type": "vehicle type",
    "workbook.routes_count": "routes / week",
    "workbook.stops": "stops / week",
    "workbook.delivered_kg": "delivered kg / week",
    "workbook.distance_km": "vehicle-km / week",
    "workbook.duration_h": "vehicle-hours / week",
    "workbook.co2e_wtw_kg": "CO2e WTW kg / week",
    "workbook.cost_nok": "route cost NOK / week",
    "workbook.order": "order",
    "workbook.unit": "unit",
    "workbook.unit_name": "unit name",
    "workbook.category": "category",
    "workbook.supplier": "supplier",
    "workbook.day": "day",
    "workbook.demand_kg": "demand kg",
    "workbook.reason": "reason",
    "workbook.detail": "detail",
    "workbook.topic": "topic",
    "workbook.text": "text",
    "workbook.topic.note": "note",
    "workbook.topic.travel": "travel model",
    "workbook.topic.emissions": "emissions method",
    "workbook.topic.question": "question",
    "workbook.topic.caveat": "caveat",
    "workbook.topic.source": "source",
    "workbook.total": "total change",
    "map.crow_fly": "crow-fly: straight legs, not roads",
    "map.road_gap": "road network, straight legs where no road path",
    "map.pair_title": "{baseline} vs {scenario}",
    "map.disruption_title": "{scenario}: disruption",
    "map.hub": "hub used",
    "map.depot": "supplier depot",
    "map.unit_size": "unit, {kg} kg/week",
    "map.unserved": "unserved unit (some deliveries not made)",
    "map.closed": "closed road",
    "map.closure_area": "closure area (not applied: crow-fly travel)",
    "map.scale": "{length} km",
    "map.north": "N",
    "map.units_credit": "Units: {source}.",
    "map.zones_credit": "Zones: {source}.",
    "map.osm_credit": "© OpenStreetMap contributors (ODbL).",
    "map.illustrative": "Suppliers and hubs are illustrative.",
    "map.projection": "Projection: {crs}; unit circle area proportional to demand.",
    "webmap.title": "Bergen kommune deliveries: interactive map",
    "webmap.scenarios": "Scenarios",
    "webmap.vehicle_types": "Vehicle types",
    "webmap.legend": "Legend",
    "webmap.hint": "Drag to pan; scroll or use the buttons to zoom; click a route, unit or "
                   "site for details. Tick scenarios to lay them over each other.",
    "webmap.per_week": "per week",
    "webmap.disruptions": "disruptions",
    "webmap.scenario": "scenario",
    "webmap.unit": "unit",
    "webmap.unit_type": "type",
    "webmap.demand": "demand kg / week",
    "webmap.status": "status",
    "webmap.served": "served",
    "webmap.unserved": "{count} deliveries not made ({kg} kg): {reasons}; {days}",
    "webmap.detail": "detail",
    "webmap.route": "route",
    "webmap.day": "day",
    "webmap.vehicle_type": "vehicle type",
    "webmap.stops": "stops",
    "webmap.distance_km": "km",
    "webmap.co2e_kg": "CO2e WTW kg",
    "webmap.cost_nok": "cost NOK",
    "webmap.categories": "categories",
    "webmap.disruption": "disruption",
    "webmap.street": "street",
    "webmap.days": "days",
    "webmap.every_day": "every day",
    "webmap.unit_legend": "unit (circle area proportional to demand)",
    "webmap.unserved_legend": "unit with deliveries not made",
    "webmap.zoom_in": "Zoom in",
    "webmap.zoom_out": "Zoom out",
    "webmap.whole_map": "Whole map",
    "webmap.close": "Close",
    "unit_type.kindergarten": "kindergarten",
    "unit_type.school": "school",
    "unit_type.nursing_home": "nursing home",
    "unit_type.home_care_base": "home care base",
    "unit_type.office": "office",
    "workbook.none": "none",
    # decision document
    "decision.section.summary": "Summary",
    "decision.section.economics": "Economics",
    "decision.section.hazards": "Supply security: hazards side by side",
    "decision.front.made": "Made {date} with the Bergen logistics planning tool {version}.",
    "decision.front.data": "Data basis: {study} ({units} units, {orders} orders a week from "
                           "the demand model), the factor tables of data/factors and the "
                           "vehicle catalogue data/vehicles.csv; input fingerprint {digest}.",
    "decision.question": "Should Bergen kommune keep today's direct deliveries by each "
                         "supplier, or consolidate them through a municipal hub from which "
                         "its own fleet delivers one load per unit?",
    "decision.answer.co2e": "{option} changes CO2e by {low} to {high} tonnes a year over the "
                            "uncertain inputs ({base} tonnes at the base setting; today "
                            "{today} tonnes).",
    "decision.answer.co2e_point": "{option} cuts CO2e by about {base} tonnes a year ({share} "
                                  "of today's {today} tonnes); a point estimate, as no "
                                  "sensitivity study covers it.",
    "decision.answer.co2e_rise": "{option} adds about {base} tonnes CO2e a year to today's "
                                 "{today} tonnes.",
    "decision.answer.cost": "For all payers together the yearly cost changes by {low} to "
                            "{high} million NOK, the one-off costs of {one_off} million NOK "
                            "spread over {years} years included.",
    "decision.answer.cost_point": "For all payers together the yearly cost changes by about "
                                  "{base} million NOK, the one-off costs of {one_off} million "
                                  "NOK spread over {years} years included.",
    "decision.answer.payers": "The municipality's budget changes by about {municipality} "
                              "million NOK a year (the hub and its own fleet) and the "
                              "suppliers' costs by about {suppliers} million NOK; the "
                              "suppliers' saving reaches the municipality only through the "
                              "prices of new contracts.",
    "decision.answer.deliveries": "Deliveries a week per unit fall from about {before} to "
                                  "{after} ({unit_type}).",
    "decision.verdict.recommend": "Recommendation: {option}. By the rule in the method "
                                  "section it is worth its cost at every setting of the "
                                  "uncertain inputs, CO2e valued at {price} NOK a tonne.",
    "decision.verdict.keep_direct": "Recommendation: keep direct delivery. By the rule in "
                                    "the method section no consolidated option is worth its "
                                    "cost at any setting of the uncertain inputs, CO2e valued "
                                    "at {price} NOK a tonne.",
    "decision.verdict.too_close": "Too close to call: by the rule in the method section the "
                                  "answer changes within the uncertain inputs. What would "
                                  "decide it: {deciding}.",
    "decision.verdict.no_range": "No recommendation: without a sensitivity study there are "
                                 "no ranges, and the rule in the method section recommends "
                                 "only what holds over them.",
    "decision.options": "The options side by side, per year unless stated (changes against "
                        "today's direct delivery)",
    "decision.option.keep": "keep direct delivery",
    "decision.row.meets_need": "meets the need in a normal week",
    "decision.row.municipality": "municipality's budget, million NOK (change)",
    "decision.row.suppliers": "suppliers' cost, million NOK (change)",
    "decision.row.one_off": "one-off costs, million NOK",
    "decision.row.present": "present cost over {years} years at {rate}, million NOK (change, "
                            "all payers)",
    "decision.row.co2e": "CO2e, tonnes (well-to-wheel, hub included)",
    "decision.row.co2e_range": "CO2e change over the uncertain inputs, tonnes",
    "decision.row.abatement": "cost per tonne CO2e abated, NOK",
    "decision.row.deliveries": "deliveries a week",
    "decision.row.per_unit": "deliveries a week per {unit_type}",
    "decision.row.energy": "energy, vehicles, MWh",
    "decision.row.energy_total": "energy, vehicles and hub, MWh",
    "decision.row.hazard": "served share: {hazard}",
    "decision.row.risks": "risks",
    "decision.row.external_cost_nok": "external cost (air, noise, congestion), million NOK",
    "decision.row.vehicles_used_incl_inbound": "vehicles on the peak day, trips to the hub "
                                               "included",
    "decision.row.load_factor_distribution_kg": "load factor of deliveries to units, %",
    "decision.row.load_factor_inbound_kg": "load factor of trips to the hub, %",
    "decision.row.tonne_km_distribution": "tonne-km of deliveries to units, thousands",
    "decision.row.tonne_km_inbound": "tonne-km of trips to the hub, thousands",
    "decision.yes": "yes",
    "decision.no_unserved": "no: {count} deliveries a week unserved",
    "decision.not_abated": "nothing abated",
    "decision.not_applicable": "does not apply",
    "decision.not_analysed": "not analysed",
    "decision.risk.direct": "many vehicles at every unit; each supplier's own fallback",
    "decision.risk.hub": "one hub is a single point of failure; the municipality carries "
                         "the fleet, staff and the hub's lease",
    "decision.risk.unserved": "leaves deliveries out: does not meet the need",
    "decision.hazards.intro": "Each hazard disrupts each design against its own normal week. "
                              "A design the hazard cannot touch is shown as such and not "
                              "ranked on it.",
    "decision.hazards.hazard": "hazard",
    "decision.hazards.served": "served share, {design}",
    "decision.hazards.extra": "extra cost a week, {design}, NOK",
    "decision.hazards.monte_carlo": "random supplier outages ({samples} samples, median)",
    "decision.hazards.fallback": "Fallback assumed during a hub outage: the suppliers deliver "
                                 "directly again with their own fleets, as today. That needs "
                                 "their vehicles and drivers to be kept available: agree it "
                                 "in the contracts.",
    "decision.dependency": "Single-supplier dependency: {category} comes from {suppliers} "
                           "alone, with no alternate, for {units} of {total} units, in both "
                           "designs.",
    "decision.change.title": "What would change the conclusion",
    "decision.change.tornado": "The uncertain inputs, widest range first: {inputs}.",
    "decision.change.prices": "Whether the suppliers pass their saving of about {suppliers} "
                              "million NOK a year on in their prices.",
    "decision.change.hub": "The hub's real cost: rent, staff and handling are illustrative "
                           "({hub} million NOK a year in this option).",
    "decision.change.need": "An option that leaves deliveries unserved must get more "
                            "vehicles or a later shift before it can be compared.",
    "decision.next.title": "Next steps",
    "decision.next.data": "Replace the illustrative suppliers, hub and one-off prices with "
                          "the municipality's purchase data and offers.",
    "decision.next.road": "Run the study on the Bergen road network instead of crow-fly "
                          "distances.",
    "decision.next.suppliers": "Ask the suppliers how consolidated delivery would change "
                               "their prices.",
    "decision.next.fallback": "Agree a fallback for hub outages and an alternate supplier for "
                              "every category with a single supplier.",
    "decision.economics.intro": "Yearly cost by payer: the municipality pays the hub and its "
                                "own fleet; the suppliers pay their own vehicles (direct "
                                "deliveries and trips to the hub). Figures are rounded to two "
                                "significant figures: the inputs support no more.",
    "decision.economics.split_routes": "The split is computed from each result's routes by "
                                       "kind.",
    "decision.economics.payers": "Yearly cost by payer, million NOK",
    "decision.economics.scenario": "option",
    "decision.economics.municipality": "municipality",
    "decision.economics.suppliers": "suppliers",
    "decision.economics.total": "all payers",
    "decision.economics.one_off": "One-off costs of {option}",
    "decision.economics.item": "item",
    "decision.economics.quantity": "quantity",
    "decision.economics.cost": "million NOK",
    "decision.economics.npv": "Present cost of each option over its contract, against direct "
                              "delivery: one-off costs now and the yearly change discounted "
                              "at {rate} a year (real; Finansdepartementet, rundskriv R-109/21, "
                              "for the first 40 years).",
    "decision.economics.npv_header": "present cost change, million NOK",
    "decision.economics.municipality_npv": "of which the municipality",
    "decision.economics.abatement": "cost per tonne CO2e abated, NOK",
    "decision.economics.abatement_note": "Cost per tonne abated: the yearly cost change of "
                                         "all payers plus the one-off costs as an annuity over "
                                         "the contract, over the tonnes of CO2e abated a year; "
                                         "compare with the carbon price of {price} NOK a tonne "
                                         "({year}).",
    "decision.item.hub_setup": "hub set-up",
    "decision.item.chargers": "charge points",
    "decision.item.vehicles": "vehicles bought",
    "decision.item.ict": "ICT",
    "decision.item.transition_staff_fte_years": "transition staff (FTE-years)",
    "decision.method.routing": "Routing: {searches}.",
    "decision.method.search": "{count} searches with {backend} (stopped by {stops})",
    "decision.method.plan": "Each scenario plans the same orders from the demand model for "
                            "Monday to Friday (one routing problem per supplier and day in "
                            "the direct design, one per day in the consolidated design); KPIs "
                            "are per week and per year ({weeks} weeks a year).",
    "decision.method.rule": "Recommendation rule: an option is worth it at a setting of the "
                            "inputs when it leaves no delivery unserved in a normal week and "
                            "the yearly cost it saves all payers (one-off costs as an annuity "
                            "over the contract) plus the CO2e it abates, valued at the "
                            "carbon price, is not negative. It is recommended only when it "
                            "is worth it at every setting: the sensitivity study's base, "
                            "each input low and high, the one-off costs halved and doubled "
                            "and the hub's yearly cost 25 % lower and higher. Keeping direct "
                            "delivery is recommended when no option is worth it at any "
                            "setting; otherwise the options are too close to call.",
    "decision.method.ranges": "Ranges are the lowest and highest values over those settings; "
                              "the hazards are run once each, the supplier outages as a "
                              "seeded Monte Carlo.",
    "decision.source.quality": "quality",
    "decision.quality.verified": "checked in the source",
    "decision.quality.secondary": "checked in a report quoting the source",
    "decision.quality.unverified": "seen second-hand, not checked",
    "decision.quality.derived": "derived from other rows",
    "decision.quality.assumption": "assumption",
    "decision.quality.none": "not stated",
    "decision.table_caveat": "Illustrative suppliers and hub; see the caveats.",
    "decision.setting.base": "base",
    "decision.setting.one_off": "one-off costs",
    "decision.setting.hub_cost": "hub's yearly cost",
    "decision.alt.map": "Map of one week's routes ({name}): routes coloured by vehicle type, "
                        "units as circles sized by demand, the hub and the suppliers' depots "
                        "marked.",
}
"""Every English text of the report, by key."""

NB: dict[str, str] = {
    "kpi.deliveries": "leveranser",
    "kpi.hub_inbound_trips": "inngående turer til hub",
    "kpi.vehicle_km": "kjøretøy-km",
    "kpi.vehicle_hours": "kjøretøytimer",
    "kpi.routes": "ruter",
    "kpi.vehicles_used": "kjøretøy på toppdagen",
    "kpi.load_factor": "fyllingsgrad",
    "kpi.energy_kwh": "kjøretøyenergi kWh",
    "kpi.hub_energy_kwh": "hubenergi kWh",
    "kpi.co2e_wtw_kg": "CO2e WTW kg (inkl. hub)",
    "kpi.hub_co2e_wtw_kg": "herav hub CO2e kg",
    "kpi.nox_g": "NOx g",
    "kpi.pm_g": "PM g",
    "kpi.cost_nok": "kostnad NOK (inkl. hub)",
    "kpi.hub_cost_nok": "herav hub NOK",
    "kpi.served_demand_share": "andel av behovet levert",
    "kpi.unserved_deliveries": "leveranser ikke utført",
    "impact.normal_served_demand_share": "andel av behovet levert, normalt",
    "impact.served_demand_share": "andel av behovet levert, under hendelsen",
    "impact.normal_units_fully_served_share": "enheter fullt levert, normalt",
    "impact.units_fully_served_share": "enheter fullt levert, under hendelsen",
    "impact.unmet_kg": "udekket kg / uke",
    "impact.vehicle_km": "kjøretøy-km / uke, under hendelsen",
    "impact.extra_vehicle_km": "ekstra kjøretøy-km / uke",
    "impact.extra_co2e_wtw_kg": "ekstra CO2e WTW kg / uke",
    "impact.extra_cost_nok": "ekstra kostnad NOK / uke",
    "period.week": "uke",
    "period.year": "år",
    "design.direct": "direkte",
    "design.consolidated": "samlastet",
    "travel.crow_fly": "luftlinje",
    "travel.road": "veinett",
    "part.fewer_stops": "færre stopp (samme tonnkm per stopp)",
    "part.trip_length": "tonnkm per stopp (leveransestørrelse, kjørelengde)",
    "part.load_factor": "fullere kjøretøy (fyllingsgrad)",
    "part.vehicle_energy": "kjøretøystørrelse og energi (flåte, drivstoff)",
    "part.hub_operations": "hubdrift",
    "part.baseline": "referanse",
    "part.total": "scenario",
    "metric.vehicle_km": "kjøretøy-km / uke",
    "metric.co2e_wtw_kg": "CO2e WTW kg / uke",
    "metric.cost_nok": "kostnad NOK / uke",
    "title": "Bergen kommune: direkte eller samordnet varelevering",
    "subtitle": "Kjøretøy-km, utslipp, kostnad og forsyningssikkerhet for {count} scenarioer; "
                "referanse {baseline}",
    "contents": "Innhold",
    "section.question": "Spørsmålet",
    "section.comparison": "Scenarioene sammenlignet",
    "section.maps": "Kart",
    "section.decomposition": "Hvor besparelsen kommer fra",
    "section.security": "Forsyningssikkerhet",
    "section.study": "Studieresultater",
    "section.method": "Metode og kilder",
    "section.caveats": "Forbehold",
    "section.files": "Filene i denne rapporten",
    "question.p1": "Bergen kommune kjøper varer og tjenester for om lag 6,7 mrd. kroner i året "
                   "(6,74 mrd. kroner i 2020). Anskaffelsesstrategi 2022-2025 (vedtatt av "
                   "bystyret 22. juni 2022) har klima, miljø og samfunnsansvar blant "
                   "satsingsområdene (bergen.kommune.no). Denne rapporten svarer på to av "
                   "målene: mer bærekraftig logistikk og sikker forsyning.",
    "question.p2": "I dag kjører hver leverandør egne kjøretøy til hver barnehage og skole. "
                   "Kommuner som samordner leveransene gjennom én hub, der kommunen leverer "
                   "ett samlet lass per enhet, melder om langt færre leveranser: Kungsbacka "
                   "gikk fra om lag 60 000 til om lag 14 000 leveranser i året (kungsbacka.se, "
                   "2017 og bærekraftsrapport 2021); en Oslo-studie fant inntil 38 % færre "
                   "kjøretøy-km i ett scenario (NHO Transport og logistikk og Oslo kommune, "
                   "«Hele lasten, halve utslippet»). Resultatene varierer: på Södertörn ble "
                   "leveransene halvert, men kjøretøy-km falt bare 4 %, og mesteparten av "
                   "CO2-kuttet kom fra biodiesel (IVL 2018). Rapporten skiller derfor "
                   "effekten av samlasting fra effekten av kjøretøy og drivstoff.",
    "question.p3": "Spørsmålet: hva ville samordnet varelevering gjennom en kommunal hub "
                   "endre mot dagens direkte leveranser, i kjøretøy-km, timer, CO2e, NOx, PM "
                   "og kostnad, og hvordan står løsningene seg når noe svikter?",
    "comparison.year": "Nøkkeltall per år (endring mot {baseline})",
    "comparison.week": "Nøkkeltall per uke (endring mot {baseline})",
    "comparison.kpi": "Nøkkeltall",
    "comparison.design": "løsning",
    "comparison.travel": "reisemodell",
    "charts.kpi_bars": "Nøkkeltall per år, hvert scenario mot referansen {baseline}",
    "charts.waterfall": "{baseline} til {scenario}: endringen per uke og delene av den",
    "charts.distributions": "Monte Carlo: {samples} tilfeldige hendelser per løsning",
    "maps.intro": "Ruter etter kjøretøytype, hub i bruk, leverandørlagre og enheter etter "
                  "behov; røde kryss markerer enheter som ikke fikk alt levert. Hvert kart "
                  "ligger også i maps/ som PNG (300 dpi), SVG og PDF.",
    "maps.web": "Åpne det interaktive kartet",
    "decomposition.intro": "Endringen per uke mot referansen delt i deler som til sammen "
                           "utgjør den (logaritmisk middel Divisia-indeks, LMDI, uten rest): "
                           "antall stopp med samme tonnkm per stopp; tonnkm per stopp "
                           "(større leveranser og hvor langt varene til hvert stopp kjøres: "
                           "hubplassering, trunkavstand); hvor fulle kjøretøyene går; "
                           "kjøretøystørrelse og energi per kjøretøy-km (flåte, drivstoff); "
                           "og, for CO2e og kostnad, hubenes egen drift. Færre stopp alene "
                           "sparer ikke km når hvert stopp da får mer: les de to første "
                           "delene sammen.",
    "decomposition.missing": "Denne sammenligningen har ingen oppdeling av endringen "
                             "(resultatmappene ble sammenlignet før den ble beregnet).",
    "decomposition.part": "del",
    "security.missing": "Forsyningssikkerhet er ikke analysert i denne rapporten. Kjør "
                        "'logistics resilience SCENARIO.yaml --samples 20 --json > "
                        "resilience.json' og gi filen med '--resilience resilience.json'.",
    "security.intro": "Scenario {scenario} med hendelsene sine ({disruptions}), hver løsning "
                      "under hendelsen mot sin normale uke.",
    "security.none": "ingen",
    "security.metric": "mål",
    "security.better": "står seg best",
    "security.equal": "likt",
    "security.concentration": "Leverandørkonsentrasjon: HHI for alle varer {hhi}; {single} av "
                              "{units} enheter er avhengige av én leverandør uten alternativ "
                              "for minst én varegruppe.",
    "security.links_missing": "Kritiske veilenker: ikke beregnet: {reason}",
    "security.links": "Kritiske veilenker (av de {count} mest brukte veiene)",
    "security.link_way": "OSM-vei",
    "security.link_street": "gate",
    "security.link_units": "enheter avskåret",
    "security.link_km": "ekstra km / uke",
    "security.carlo": "Monte Carlo: {samples} trekk ({kinds})",
    "security.carlo_design": "løsning",
    "security.served_p5": "levert andel p5",
    "security.served_median": "levert andel median",
    "security.served_p95": "levert andel p95",
    "security.cost_p5": "ekstra kostnad NOK p5",
    "security.cost_median": "ekstra kostnad NOK median",
    "security.cost_p95": "ekstra kostnad NOK p95",
    "security.not_applied": "Ikke brukt: {label}: {reason}",
    "security.unmet": "{design}: udekket kg / uke etter varegruppe: {items}",
    "security.served_share": "andel av behovet levert",
    "security.extra_cost": "ekstra kostnad NOK / uke",
    "study.missing": "Ingen studie ble gitt til denne rapporten. Kjør 'logistics study run "
                     "studies/bergen-hub-choice.yaml' (hubkandidatene: avveiingstabell og "
                     "Pareto-front) og 'logistics study run studies/bergen-sensitivity.yaml' "
                     "(spennet i hovedbesparelsen: tornado), som hver skriver "
                     "results/studies/<studienavn>/, og gi mappene med '--study "
                     "results/studies/bergen-hub-choice --study "
                     "results/studies/bergen-sensitivity'.",
    "study.title": "Studie {name}",
    "study.counts": "{total} varianter: {done} ferdige, {failed} feilet, {pending} gjenstår.",
    "study.caveat": "Studien {name} er ufullstendig: {failed} varianter feilet og {pending} "
                    "gjenstår. Tabellene bruker bare de {done} ferdige variantene og kan "
                    "endre seg når 'logistics study run' fullfører den.",
    "study.trade_off": "Avveiing mellom {axis}-alternativene (Pareto-optimal: ikke noe annet "
                       "alternativ er minst like godt på alle kriterier og bedre på ett)",
    "study.option": "alternativ",
    "study.pareto": "Pareto-optimal",
    "study.yes": "ja",
    "study.better.lower": "lavere er bedre",
    "study.better.higher": "høyere er bedre",
    "study.headline": "Hovedtall: besparelsen i {metric} med {option} mot {baseline} ({axis}) "
                      "er {saving} i basisoppsettet.",
    "study.tornado": "Hovedbesparelsen med hver inndata lav og høy, alle andre inndata i "
                     "basis (størst spenn først)",
    "study.input": "inndata",
    "study.saving_low": "besparelse, inndata lav",
    "study.saving_high": "besparelse, inndata høy",
    "study.saving_base": "besparelse, basis",
    "study.range": "spenn (prosentpoeng)",
    "study.flips_sign": "skifter fortegn",
    "study.note": "hvor spennet kommer fra",
    "charts.trade_off": "Studie {name}: {axis}-alternativene på de to første kriteriene, "
                        "Pareto-fronten markert",
    "charts.tornado": "Studie {name}: spennet i hovedbesparelsen per inndata",
    "workbook.trade_off": "Avveiing",
    "workbook.tornado": "Tornado",
    "workbook.rank": "{criterion} rangering",
    "method.emissions": "Utslipp: {method}; fordeling etter {allocation}; strøm {basis} "
                        "({electricity} kg CO2e/kWh); biogen CO2 {biogenic}; karbonpris "
                        "{price} NOK/t CO2e ({price_year}).",
    "method.travel_crow_fly": "{scenario}: luftlinje ganger en omveisfaktor på {detour}, "
                              "hastighet etter avstandsklasse.",
    "method.travel_road": "{scenario}: korteste vei på veinettet '{network}' "
                          "(OpenStreetMap), hastighet uten kø.",
    "method.factor_sources": "Kilder til faktortabellene",
    "method.study_sources": "Kilder til studiedataene",
    "method.source_file": "fil",
    "method.source_row": "rad",
    "method.source": "kilde",
    "method.sources_file": "Alle tabellene i studiedataene, utvalget og forutsetningene er "
                           "dokumentert i {file}.",
    "caveat.illustrative": "Leverandørene, flåtene deres og hubplasseringene er et "
                           "illustrativt utvalg ved reelle logistikkområder i Bergen, ikke "
                           "reelle avtaler.",
    "caveat.crow_fly": "Reisene er omtrentlige: luftlinje ganger en omveisfaktor, ikke et "
                       "veinett.",
    "caveat.road": "Reisene følger veinettet uten trafikk: tidene gjelder fri flyt.",
    "caveat.electricity": "Strøm regnes på grunnlaget {basis} med {electricity} kg CO2e/kWh "
                          "({source}). CO2e fra elektriske kjøretøy følger denne faktoren; "
                          "de andre grunnlagene i faktortabellene: {others}.",
    "caveat.notes": "Merknader fra resultatene",
    "files.workbook": "Sammenligningen som regneark (ett ark per tabell)",
    "files.gis": "GIS-lag for {scenario} (GeoPackage og GeoJSON, EPSG:4326)",
    "files.charts": "Diagrammer (SVG og PNG)",
    "workbook.week": "Nøkkeltall (uke)",
    "workbook.year": "Nøkkeltall (år)",
    "workbook.decomposition": "Oppdeling",
    "workbook.routes": "Ruter",
    "workbook.unserved": "Ikke levert",
    "workbook.notes": "Merknader og metode",
    "workbook.about": "Om",
    "workbook.key": "nøkkel",
    "workbook.change": "{scenario} endring",
    "workbook.change_pct": "{scenario} endring %",
    "workbook.scenario": "scenario",
    "workbook.metric": "mål",
    "workbook.value": "verdi / uke",
    "workbook.kind": "rutetype",
    "workbook.vehicle_type": "kjøretøytype",
    "workbook.routes_count": "ruter / uke",
    "workbook.stops": "stopp / uke",
    "workbook.delivered_kg": "levert kg / uke",
    "workbook.distance_km": "kjøretøy-km / uke",
    "workbook.duration_h": "kjøretøytimer / uke",
    "workbook.co2e_wtw_kg": "CO2e WTW kg / uke",
    "workbook.cost_nok": "rutekostnad NOK / uke",
    "workbook.order": "bestilling",
    "workbook.unit": "enhet",
    "workbook.unit_name": "enhetsnavn",
    "workbook.category": "varegruppe",
    "workbook.supplier": "leverandør",
    "workbook.day": "dag",
    "workbook.demand_kg": "behov kg",
    "workbook.reason": "årsak",
    "workbook.detail": "detalj",
    "workbook.topic": "emne",
    "workbook.text": "tekst",
    "workbook.topic.note": "merknad",
    "workbook.topic.travel": "reisemodell",
    "workbook.topic.emissions": "utslippsmetode",
    "workbook.topic.question": "spørsmål",
    "workbook.topic.caveat": "forbehold",
    "workbook.topic.source": "kilde",
    "workbook.total": "samlet endring",
    "map.crow_fly": "luftlinje: rette strekninger, ikke veier",
    "map.road_gap": "veinett, rette strekninger der veien mangler",
    "map.pair_title": "{baseline} mot {scenario}",
    "map.disruption_title": "{scenario}: hendelse",
    "map.hub": "hub i bruk",
    "map.depot": "leverandørlager",
    "map.unit_size": "enhet, {kg} kg/uke",
    "map.unserved": "enhet ikke fullt levert (noen leveranser ikke utført)",
    "map.closed": "stengt vei",
    "map.closure_area": "stengt område (ikke brukt: luftlinjereiser)",
    "map.scale": "{length} km",
    "map.north": "N",
    "map.units_credit": "Enheter: {source}.",
    "map.zones_credit": "Soner: {source}.",
    "map.osm_credit": "© OpenStreetMap-bidragsytere (ODbL).",
    "map.illustrative": "Leverandører og huber er illustrative.",
    "map.projection": "Projeksjon: {crs}; sirkelens areal er proporsjonalt med enhetens "
                      "behov.",
    "webmap.title": "Varelevering i Bergen kommune: interaktivt kart",
    "webmap.scenarios": "Scenarioer",
    "webmap.vehicle_types": "Kjøretøytyper",
    "webmap.legend": "Tegnforklaring",
    "webmap.hint": "Dra for å flytte; rull eller bruk knappene for å zoome; klikk på en "
                   "rute, enhet eller et sted for detaljer. Kryss av scenarioer for å legge "
                   "dem over hverandre.",
    "webmap.per_week": "per uke",
    "webmap.disruptions": "hendelser",
    "webmap.scenario": "scenario",
    "webmap.unit": "enhet",
    "webmap.unit_type": "type",
    "webmap.demand": "behov kg / uke",
    "webmap.status": "status",
    "webmap.served": "levert",
    "webmap.unserved": "{count} leveranser ikke utført ({kg} kg): {reasons}; {days}",
    "webmap.detail": "detalj",
    "webmap.route": "rute",
    "webmap.day": "dag",
    "webmap.vehicle_type": "kjøretøytype",
    "webmap.stops": "stopp",
    "webmap.distance_km": "km",
    "webmap.co2e_kg": "CO2e WTW kg",
    "webmap.cost_nok": "kostnad NOK",
    "webmap.categories": "varegrupper",
    "webmap.disruption": "hendelse",
    "webmap.street": "gate",
    "webmap.days": "dager",
    "webmap.every_day": "hver dag",
    "webmap.unit_legend": "enhet (sirkelens areal etter behov)",
    "webmap.unserved_legend": "enhet med leveranser ikke utført",
    "webmap.zoom_in": "Zoom inn",
    "webmap.zoom_out": "Zoom ut",
    "webmap.whole_map": "Hele kartet",
    "webmap.close": "Lukk",
    "unit_type.kindergarten": "barnehage",
    "unit_type.school": "skole",
    "unit_type.nursing_home": "sykehjem",
    "unit_type.home_care_base": "hjemmetjenestebase",
    "unit_type.office": "kontor",
    "workbook.none": "ingen",
    # decision document
    "decision.section.summary": "Sammendrag",
    "decision.section.economics": "Økonomi",
    "decision.section.hazards": "Forsyningssikkerhet: hendelsene side om side",
    "decision.front.made": "Laget {date} med planleggingsverktøyet for Bergen-logistikk "
                           "{version}.",
    "decision.front.data": "Datagrunnlag: {study} ({units} enheter, {orders} bestillinger i "
                           "uken fra behovsmodellen), faktortabellene i data/factors og "
                           "kjøretøykatalogen data/vehicles.csv; fingeravtrykk for "
                           "inndata {digest}.",
    "decision.question": "Bør Bergen kommune beholde dagens direktelevering fra hver "
                         "leverandør, eller samle leveransene i en kommunal hub der "
                         "kommunens egne biler leverer én samlet last til hver enhet "
                         "(samordnet varelevering)?",
    "decision.answer.co2e": "{option} endrer utslippene med {low} til {high} tonn CO2e i "
                            "året over de usikre forutsetningene ({base} tonn i "
                            "basisberegningen; i dag {today} tonn).",
    "decision.answer.co2e_point": "{option} kutter utslippene med om lag {base} tonn CO2e i "
                                  "året ({share} av dagens {today} tonn); et punktanslag, "
                                  "for ingen følsomhetsanalyse dekker alternativet.",
    "decision.answer.co2e_rise": "{option} øker utslippene med om lag {base} tonn CO2e i "
                                 "året, fra dagens {today} tonn.",
    "decision.answer.cost": "For alle betalere samlet endres kostnad per år med {low} til "
                            "{high} millioner kroner, medregnet engangskostnader på "
                            "{one_off} millioner kroner fordelt over {years} år.",
    "decision.answer.cost_point": "For alle betalere samlet endres kostnad per år med om lag "
                                  "{base} millioner kroner, medregnet engangskostnader på "
                                  "{one_off} millioner kroner fordelt over {years} år.",
    "decision.answer.payers": "Kommunens budsjett endres med om lag {municipality} "
                              "millioner kroner i året (huben og egne biler), og "
                              "leverandørenes kostnader med om lag {suppliers} millioner "
                              "kroner; leverandørenes besparelse kommer kommunen til gode "
                              "bare gjennom prisene i nye avtaler.",
    "decision.answer.deliveries": "Leveranser i uken per enhet går ned fra om lag {before} "
                                  "til {after} ({unit_type}).",
    "decision.verdict.recommend": "Anbefaling: {option}. Etter regelen i metodekapitlet er "
                                  "alternativet verdt kostnaden ved alle verdier av de usikre "
                                  "forutsetningene, med CO2e verdsatt til {price} kroner "
                                  "per tonn.",
    "decision.verdict.keep_direct": "Anbefaling: behold direktelevering. Etter regelen i "
                                    "metodekapitlet er ingen samordnet løsning verdt "
                                    "kostnaden ved noen verdi av de usikre forutsetningene, "
                                    "med CO2e verdsatt til {price} kroner per tonn.",
    "decision.verdict.too_close": "For jevnt til å konkludere: etter regelen i "
                                  "metodekapitlet skifter svaret innenfor de usikre "
                                  "forutsetningene. Dette avgjør: {deciding}.",
    "decision.verdict.no_range": "Ingen anbefaling: uten følsomhetsanalyse finnes ingen "
                                 "utfallsrom, og regelen i metodekapitlet anbefaler bare det "
                                 "som holder over dem.",
    "decision.options": "Alternativene side om side, per år om ikke annet er oppgitt "
                        "(endring fra dagens direktelevering)",
    "decision.option.keep": "behold direktelevering",
    "decision.row.meets_need": "dekker behovet i en normal uke",
    "decision.row.municipality": "kommunens budsjett, millioner kroner (endring)",
    "decision.row.suppliers": "leverandørenes kostnad, millioner kroner (endring)",
    "decision.row.one_off": "engangskostnader, millioner kroner",
    "decision.row.present": "nåverdi av kostnadene over {years} år ved {rate}, millioner "
                            "kroner (endring, alle betalere)",
    "decision.row.co2e": "utslipp CO2e, tonn (fra kilde til hjul, hub medregnet)",
    "decision.row.co2e_range": "endring i utslipp over de usikre forutsetningene, tonn",
    "decision.row.abatement": "kostnad per tonn CO2e redusert, kroner",
    "decision.row.deliveries": "leveranser i uken",
    "decision.row.per_unit": "leveranser i uken per {unit_type}",
    "decision.row.energy": "energi, kjøretøy, MWh",
    "decision.row.energy_total": "energi, kjøretøy og hub, MWh",
    "decision.row.hazard": "levert andel: {hazard}",
    "decision.row.risks": "risiko",
    "decision.row.external_cost_nok": "eksterne kostnader (luft, støy, kø), millioner kroner",
    "decision.row.vehicles_used_incl_inbound": "kjøretøy på travleste dag, kjøring til huben "
                                               "medregnet",
    "decision.row.load_factor_distribution_kg": "fyllingsgrad ved levering til enhetene, %",
    "decision.row.load_factor_inbound_kg": "fyllingsgrad ved kjøring til huben, %",
    "decision.row.tonne_km_distribution": "tonnkilometer ved levering til enhetene, tusen",
    "decision.row.tonne_km_inbound": "tonnkilometer ved kjøring til huben, tusen",
    "decision.yes": "ja",
    "decision.no_unserved": "nei: {count} leveranser i uken blir ikke utført",
    "decision.not_abated": "ingen reduksjon",
    "decision.not_applicable": "gjelder ikke",
    "decision.not_analysed": "ikke analysert",
    "decision.risk.direct": "mange kjøretøy ved hver enhet; hver leverandør har sin egen "
                            "reserveløsning",
    "decision.risk.hub": "én hub er et enkeltpunkt for svikt; kommunen bærer "
                         "bilparken, de ansatte og leien av huben",
    "decision.risk.unserved": "leveranser faller bort: dekker ikke behovet",
    "decision.hazards.intro": "Hver hendelse rammer hver løsning sammenlignet med dens egen "
                              "normale uke. En løsning som hendelsen ikke kan ramme, vises "
                              "som det og rangeres ikke på den.",
    "decision.hazards.hazard": "hendelse",
    "decision.hazards.served": "levert andel, {design}",
    "decision.hazards.extra": "merkostnad per uke, {design}, kroner",
    "decision.hazards.monte_carlo": "tilfeldige leverandørbortfall ({samples} trekk, median)",
    "decision.hazards.fallback": "Reserveløsning forutsatt når huben er stengt: "
                                 "leverandørene leverer direkte igjen med egne biler, som i "
                                 "dag. Det krever at de holder biler og sjåfører "
                                 "tilgjengelig; avtal det i kontraktene.",
    "decision.dependency": "Avhengighet av én leverandør: {category} kommer bare fra "
                           "{suppliers}, uten reserve, for {units} av {total} enheter, i "
                           "begge løsninger.",
    "decision.change.title": "Hva som kan endre konklusjonen",
    "decision.change.tornado": "De usikre forutsetningene, størst utslag først: {inputs}.",
    "decision.change.prices": "Om leverandørene gir videre besparelsen på om lag "
                              "{suppliers} millioner kroner i året i prisene sine.",
    "decision.change.hub": "Hva huben faktisk koster: leie, ansatte og håndtering er "
                           "illustrative ({hub} millioner kroner i året i dette "
                           "alternativet).",
    "decision.change.need": "Et alternativ som lar leveranser falle bort, må få flere biler "
                            "eller et senere skift før det kan sammenlignes.",
    "decision.next.title": "Neste steg",
    "decision.next.data": "Erstatt de illustrative leverandørene, huben og prisene "
                          "på engangskostnader med kommunens innkjøpsdata og tilbud.",
    "decision.next.road": "Kjør analysen på vegnettet i Bergen i stedet for "
                          "luftlinjeavstander.",
    "decision.next.suppliers": "Spør leverandørene hvordan samordnet varelevering vil endre "
                               "prisene deres.",
    "decision.next.fallback": "Avtal en reserveløsning for stengt hub og en "
                              "reserveleverandør for hver varegruppe med bare én "
                              "leverandør.",
    "decision.economics.intro": "Kostnad per år fordelt på betaler: kommunen betaler "
                                "huben og egne biler; leverandørene betaler egne "
                                "kjøretøy (direktelevering og kjøring til huben). "
                                "Tallene er avrundet til to gjeldende siffer: "
                                "forutsetningene gir ikke grunnlag for mer.",
    "decision.economics.split_routes": "Fordelingen er regnet ut fra rutene i hvert "
                                       "resultat etter type.",
    "decision.economics.payers": "Kostnad per år fordelt på betaler, millioner kroner",
    "decision.economics.scenario": "alternativ",
    "decision.economics.municipality": "kommunen",
    "decision.economics.suppliers": "leverandørene",
    "decision.economics.total": "alle betalere",
    "decision.economics.one_off": "Engangskostnader for {option}",
    "decision.economics.item": "post",
    "decision.economics.quantity": "antall",
    "decision.economics.cost": "millioner kroner",
    "decision.economics.npv": "Nåverdi av kostnadene for hvert alternativ over "
                              "avtaleperioden, sammenlignet med direktelevering: "
                              "engangskostnader nå og den årlige endringen diskontert med "
                              "{rate} i året (reelt; Finansdepartementet, rundskriv "
                              "R-109/21, for de første 40 årene).",
    "decision.economics.npv_header": "endring i nåverdi av kostnader, millioner kroner",
    "decision.economics.municipality_npv": "herav kommunen",
    "decision.economics.abatement": "kostnad per tonn CO2e redusert, kroner",
    "decision.economics.abatement_note": "Kostnad per tonn redusert: den årlige "
                                         "kostnadsendringen for alle betalere pluss "
                                         "engangskostnadene som annuitet over avtaleperioden, "
                                         "delt på tonn CO2e redusert per år; sammenlign med "
                                         "karbonprisen på {price} kroner per tonn ({year}).",
    "decision.item.hub_setup": "etablering av hub",
    "decision.item.chargers": "ladepunkter",
    "decision.item.vehicles": "kjøretøy kjøpt",
    "decision.item.ict": "IKT",
    "decision.item.transition_staff_fte_years": "prosjektbemanning i overgangen (årsverk)",
    "decision.method.routing": "Ruteplanlegging: {searches}.",
    "decision.method.search": "{count} søk med {backend} (stoppet av {stops})",
    "decision.method.plan": "Hvert scenario planlegger de samme bestillingene fra "
                            "behovsmodellen mandag til fredag (ett ruteproblem per "
                            "leverandør og dag ved direktelevering, ett per dag ved "
                            "samordnet varelevering); nøkkeltallene gjelder per uke og per "
                            "år ({weeks} uker i året).",
    "decision.method.rule": "Regel for anbefaling: et alternativ er verdt det ved en verdi "
                            "av forutsetningene når ingen leveranse faller bort i en normal "
                            "uke og summen av det alternativet sparer alle betalere per år "
                            "(engangskostnader som annuitet over avtaleperioden) og "
                            "utslippene det reduserer, verdsatt til karbonprisen, ikke er "
                            "negativ. Alternativet anbefales bare når det er verdt det ved "
                            "alle verdier: basisberegningen i følsomhetsanalysen, hver "
                            "forutsetning lav og høy, engangskostnadene halvert og doblet og "
                            "hubens årlige kostnad 25 % lavere og høyere. Å beholde "
                            "direktelevering anbefales når ingen løsning er verdt det ved "
                            "noen verdi; ellers er alternativene for jevne til å "
                            "konkludere.",
    "decision.method.ranges": "Utfallsrommene er laveste og høyeste verdi over disse "
                              "verdiene; hver hendelse beregnes én gang, "
                              "leverandørbortfallene som en Monte Carlo-simulering med fast "
                              "startverdi.",
    "decision.source.quality": "kvalitet",
    "decision.quality.verified": "kontrollert i kilden",
    "decision.quality.secondary": "kontrollert i en rapport som gjengir kilden",
    "decision.quality.unverified": "sett i annenhånds kilde, ikke kontrollert",
    "decision.quality.derived": "utledet fra andre rader",
    "decision.quality.assumption": "forutsetning",
    "decision.quality.none": "ikke oppgitt",
    "decision.table_caveat": "Illustrative leverandører og hub; se forbeholdene.",
    "decision.setting.base": "basis",
    "decision.setting.one_off": "engangskostnader",
    "decision.setting.hub_cost": "hubens årlige kostnad",
    "decision.alt.map": "Kart over én ukes ruter ({name}): rutene farget etter "
                        "kjøretøytype, enhetene som sirkler etter behov, huben og "
                        "leverandørenes lagre markert.",
}
"""Every bokmål text of the report, by the keys of :data:`EN`."""

TEXTS: Mapping[str, Mapping[str, str]] = {"en": EN, "nb": NB}


@dataclass(frozen=True)
class Locale:
    """The texts and number style of one language of :data:`LANGUAGES`."""

    lang: str

    def text(self, key: str, **values: object) -> str:
        """The text of ``key``, with ``{name}`` fields filled from ``values``; the English
        text where this language lacks one (a label added since)."""
        template = TEXTS[self.lang].get(key) or EN[key]
        return template.format(**values) if values else template

    def number(self, value: float | None, digits: int = 0) -> str:
        """``value`` with ``digits`` decimals and grouped thousands (:data:`NO_VALUE` for
        none or NaN)."""
        if value is None or math.isnan(value):
            return NO_VALUE
        text = f"{value:,.{digits}f}"
        if self.lang == "nb":
            text = text.replace(",", THIN_SPACE).replace(".", ",")
        return text

    def change_pct(self, pct: float | None) -> str:
        """A signed change in percent: ``+12%`` (en), ``+12 %`` (nb)."""
        if pct is None:
            return ""
        return f"{pct:+.0f}" + (f"{THIN_SPACE}%" if self.lang == "nb" else "%")

    def share_pct(self, share: float | None, digits: int = 1) -> str:
        """A share as percent: ``23.4%`` (en), ``23,4 %`` (nb); :data:`NO_VALUE` for none
        or NaN."""
        text = self.number(None if share is None else share * 100, digits)
        if text == NO_VALUE:
            return text
        return text + (f"{THIN_SPACE}%" if self.lang == "nb" else "%")

    def kpi(self, label: Label, period: str | None = None) -> str:
        """A KPI's label, with ``/ <period>`` unless the KPI is a share, ratio or peak."""
        text = self.text(f"kpi.{label.key}")
        if period is None or label.key in RATIO_KPIS:
            return text
        return f"{text} / {self.text(f'period.{period}')}"

    def impact(self, label: Label) -> str:
        """The label of a resilience metric."""
        return self.text(f"impact.{label.key}")

    def name(self, kind: str, key: str) -> str:
        """The name of a ``kind`` of value (``design``, ``travel``, ``part``) in this
        language; ``key`` itself when no table has one."""
        return TEXTS[self.lang].get(f"{kind}.{key}") or EN.get(f"{kind}.{key}", key)

    def design(self, design: str) -> str:
        """``direct`` or ``consolidated`` in this language."""
        return self.name("design", design)


def locale_for(lang: str, source: str = "--lang") -> Locale:
    """The :class:`Locale` of ``lang``; an input problem naming ``source`` otherwise."""
    if lang not in LANGUAGES:
        raise InputError([Problem(source, "", "lang", repr(lang), ", ".join(LANGUAGES))])
    return Locale(lang)


def category_names(study_dir: Path, locale: Locale) -> dict[str, str]:
    """Category id -> name in ``locale``'s language from ``study_dir/categories.csv``
    (``name_nb`` in bokmål, the English ``name`` where it is empty)."""
    categories = load_table(study_dir / "categories.csv", Category)
    if locale.lang == "nb":
        return {c.id: c.name_nb or c.name for c in categories}
    return {c.id: c.name for c in categories}
