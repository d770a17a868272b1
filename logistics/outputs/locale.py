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
                        "resilience.json'; through the API, queue 'POST /v1/runs/resilience' "
                        "and name its id as 'resilience' in 'POST /v1/comparisons'.",
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
                     "results/studies/bergen-sensitivity'; through the API, queue them with "
                     "'POST /v1/studies' and name their ids as 'studies' in 'POST "
                     "/v1/comparisons'.",
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
    "method.p1": "Each scenario plans the same orders from the demand model for Monday to "
                 "Friday and routes them with OR-Tools (one routing problem per supplier and "
                 "day in the direct design, one per day in the consolidated design); KPIs "
                 "are per week and per year ({weeks} weeks a year).",
    "method.emissions": "Emissions: {method}; allocation by {allocation}; electricity "
                        "{basis} ({electricity} kg CO2e/kWh); biogenic CO2 {biogenic}; "
                        "carbon price {price} NOK/t CO2e ({price_year}); every NOK in "
                        "{base} prices (consumer price index, SSB table 03014).",
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
    "caveat.different_data": "Not like for like: the scenarios did not plan the same data "
                             "({differences}); their differences are partly the data's, "
                             "not the design's.",
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
}
"""Every English text of the report, by key."""

NB: dict[str, str] = {
    "kpi.deliveries": "leveranser",
    "kpi.hub_inbound_trips": "inngående turer til hub",
    "kpi.vehicle_km": "kjøretøy-km",
    "kpi.vehicle_hours": "kjøretøytimer",
    "kpi.routes": "ruter",
    "kpi.vehicles_used": "kjøretøy på toppdagen (uten leverandørenes turer til hub)",
    "kpi.vehicles_used_incl_inbound": "kjøretøy på toppdagen (med leverandørenes turer til "
                                      "hub)",
    "kpi.tonne_km": "tonnkm (varer via hub kjøres to ganger)",
    "kpi.tonne_km_distribution": "herav på leveranseruter tonnkm",
    "kpi.tonne_km_inbound": "herav på turer til hub tonnkm",
    "kpi.load_factor": "fyllingsgrad",
    "kpi.load_factor_distribution_kg": "fyllingsgrad etter vekt, leveranseruter",
    "kpi.load_factor_inbound_kg": "fyllingsgrad etter vekt, turer til hub",
    "kpi.load_factor_distribution_m3": "fyllingsgrad etter volum, leveranseruter",
    "kpi.load_factor_inbound_m3": "fyllingsgrad etter volum, turer til hub",
    "kpi.energy_kwh": "kjøretøyenergi kWh",
    "kpi.hub_energy_kwh": "hubenergi kWh",
    "kpi.co2e_wtw_kg": "CO2e WTW kg (inkl. hub)",
    "kpi.hub_co2e_wtw_kg": "herav hub CO2e kg",
    "kpi.nox_g": "NOx g",
    "kpi.pm_g": "PM g",
    "kpi.cost_nok": "kostnad NOK (inkl. hub)",
    "kpi.hub_cost_nok": "herav hub NOK",
    "kpi.cost_nok_municipality": "betalt av kommunen NOK (hub, egen flåte)",
    "kpi.cost_nok_suppliers": "betalt av leverandørene NOK (egne ruter, turer til hub)",
    "kpi.external_cost_nok": "eksterne kostnader NOK (uten karbonpris)",
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
    "part.fewer_stops": "færre leveranser (med samme km per leveranse)",
    "part.km_per_stop": "km per leveranse (leveranseruter)",
    "part.inbound_trips": "turer til hub (leverandørenes turer, innhenting)",
    "part.fleet_energy": "flåte og energi (per kjøretøy-km på leveranseruter)",
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
                        "resilience.json' og gi filen med '--resilience resilience.json'; "
                        "gjennom API-et: legg 'POST /v1/runs/resilience' i kø og oppgi id-en "
                        "som 'resilience' i 'POST /v1/comparisons'.",
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
                     "results/studies/bergen-sensitivity'; gjennom API-et: legg dem i kø med "
                     "'POST /v1/studies' og oppgi id-ene som 'studies' i 'POST "
                     "/v1/comparisons'.",
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
    "method.p1": "Hvert scenario planlegger de samme bestillingene fra behovsmodellen for "
                 "mandag til fredag og ruter dem med OR-Tools (ett ruteproblem per "
                 "leverandør og dag i direkte levering, ett per dag i samlastet levering); "
                 "nøkkeltallene gjelder per uke og per år ({weeks} uker i året).",
    "method.emissions": "Utslipp: {method}; fordeling etter {allocation}; strøm {basis} "
                        "({electricity} kg CO2e/kWh); biogen CO2 {biogenic}; karbonpris "
                        "{price} NOK/t CO2e ({price_year}); alle kroner i {base}-priser "
                        "(konsumprisindeksen, SSB tabell 03014).",
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
    "caveat.different_data": "Ikke sammenlignbart uten videre: scenarioene bygger ikke på "
                             "de samme dataene ({differences}); forskjellene skyldes delvis "
                             "dataene, ikke utformingen.",
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
