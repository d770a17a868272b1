"""Independent verification of a :class:`Solution` against its :class:`RoutingProblem`.

Recomputes everything from the problem's floats, without any solver, and returns
one readable message per violation (empty list = the schedule is valid):

- every job (shipment ends included) is on exactly one route or unserved, never both;
- each route belongs to a known vehicle (once), each visit's job admits that vehicle;
- legs chain depot -> visits -> depot and equal the matrix entries (0 for a stay);
- arrival = previous departure + leg duration; service starts inside a window and
  lasts the service time; reloads and breaks last their durations;
- route within the vehicle's shift, ``max_duration_s`` and ``max_distance_m``;
- loads recomputed from scratch: at every moment, the depot goods still to deliver
  on this trip + goods collected on it + shipment goods on board <= capacity (kg and
  m3); a reload starts a new trip (at most ``max_trips``); reported loads match;
- release: every trip leaves its depot (the route start, or the end of its reload) no
  earlier than the ``release_s`` of each job it serves: goods leave only once they are
  there;
- shipments: pickup before delivery, same route, same trip;
- driver break: driving time since the route start or the last break of at least
  ``duration_s`` never exceeds ``after_driving_s`` (EU 561/2006 style).

Tolerances absorb float rounding only: :data:`TIME_TOLERANCE_S` (1 s),
:data:`DISTANCE_TOLERANCE_M` (1 m) and :data:`LOAD_TOLERANCE` (1e-6 kg or m3).
"""

from __future__ import annotations

import math
from collections import Counter

from logistics.routing.problem import Job, Route, RoutingProblem, Solution, Vehicle, Visit

TIME_TOLERANCE_S = 1.0
DISTANCE_TOLERANCE_M = 1.0
LOAD_TOLERANCE = 1e-6
JOB_KINDS = ("delivery", "pickup")


def verify_solution(problem: RoutingProblem, solution: Solution) -> list[str]:
    """Every violation of the problem's rules found in ``solution`` (empty when valid)."""
    violations = _check_accounting(problem, solution)
    vehicles = {v.id: v for v in problem.vehicles}
    seen: set[str] = set()
    for route in solution.routes:
        vehicle = vehicles.get(route.vehicle_id)
        if vehicle is None:
            violations.append(f"route of unknown vehicle {route.vehicle_id}")
            continue
        if route.vehicle_id in seen:
            violations.append(f"vehicle {route.vehicle_id} has more than one route")
        seen.add(route.vehicle_id)
        violations += [f"vehicle {vehicle.id}: {v}" for v in _check_route(problem, vehicle, route)]
    violations += _check_shipments(problem, solution)
    return violations


def _check_accounting(problem: RoutingProblem, solution: Solution) -> list[str]:
    counts: Counter[str] = Counter()
    for route in solution.routes:
        counts.update(v.job_id for v in route.visits if v.kind in JOB_KINDS)
    unserved = Counter(u.job_id for u in solution.unserved)
    known = {job.id for job in problem.all_jobs()}
    violations = [f"unknown job {job_id} in the solution"
                  for job_id in sorted((set(counts) | set(unserved)) - known)]
    for job_id in sorted(known):
        on_routes, left_out = counts[job_id], unserved[job_id]
        if on_routes + left_out != 1:
            violations.append(f"job {job_id} is on routes {on_routes} times and unserved "
                              f"{left_out} times (expected exactly once in all)")
    return violations


def _check_route(problem: RoutingProblem, vehicle: Vehicle, route: Route) -> list[str]:
    violations: list[str] = []
    if len(route.legs) != len(route.visits) + 1:
        return [f"{len(route.legs)} legs for {len(route.visits)} visits (expected visits + 1)"]
    violations += _check_legs(problem, vehicle, route)
    violations += _check_times(problem, vehicle, route)
    violations += _check_loads(problem, vehicle, route)
    violations += _check_breaks(vehicle, route)
    violations += _check_releases(problem, route)
    return violations


def _check_releases(problem: RoutingProblem, route: Route) -> list[str]:
    """Each trip leaves no earlier than the release of every job it serves."""
    violations = []
    departure_s = route.start_s
    for visit in route.visits:
        if visit.kind == "reload":
            departure_s = visit.departure_s
        elif visit.kind in JOB_KINDS and _known(problem, visit.job_id):
            job = problem.job(visit.job_id)
            if departure_s < job.release_s - TIME_TOLERANCE_S:
                violations.append(f"leaves its depot at {departure_s:.0f} s carrying {job.id}, "
                                  f"released at {job.release_s:.0f} s")
    return violations


def _check_legs(problem: RoutingProblem, vehicle: Vehicle, route: Route) -> list[str]:
    violations: list[str] = []
    here = vehicle.start
    places = [v.location for v in route.visits] + [vehicle.end]
    for k, (leg, there) in enumerate(zip(route.legs, places, strict=True)):
        if (leg.from_location, leg.to_location) != (here, there):
            violations.append(f"leg {k} goes {leg.from_location}->{leg.to_location}, "
                              f"expected {here}->{there}")
        distance_m, duration_s = problem.travel(vehicle.profile, here, there)
        if math.isnan(distance_m) or math.isnan(duration_s):
            violations.append(f"leg {k} {here}->{there} is unreachable (NaN in the matrices)")
        else:
            if abs(leg.distance_m - distance_m) > DISTANCE_TOLERANCE_M:
                violations.append(f"leg {k} distance {leg.distance_m} m, matrix {distance_m} m")
            if abs(leg.duration_s - duration_s) > TIME_TOLERANCE_S:
                violations.append(f"leg {k} duration {leg.duration_s} s, matrix {duration_s} s")
        here = there
    for k, visit in enumerate(route.visits):
        expected = _expected_location(problem, vehicle, route, k)
        if expected is not None and visit.location != expected:
            violations.append(f"visit {k} ({visit.job_id}) at point {visit.location}, "
                              f"expected {expected}")
    if vehicle.max_distance_m is not None and (
            route.distance_m > vehicle.max_distance_m + DISTANCE_TOLERANCE_M):
        violations.append(f"distance {route.distance_m:.0f} m > max {vehicle.max_distance_m} m")
    return violations


def _expected_location(problem: RoutingProblem, vehicle: Vehicle, route: Route,
                       k: int) -> int | None:
    visit = route.visits[k]
    if visit.kind in JOB_KINDS:
        try:
            return problem.job(visit.job_id).location
        except KeyError:
            return None
    if visit.kind == "reload":
        return vehicle.end
    return route.visits[k - 1].location if k > 0 else vehicle.start


def _check_times(problem: RoutingProblem, vehicle: Vehicle, route: Route) -> list[str]:
    violations: list[str] = []
    shift_start, shift_end = vehicle.shift_s
    if route.start_s < shift_start - TIME_TOLERANCE_S:
        violations.append(f"starts {route.start_s:.0f} s before its shift {shift_start:.0f} s")
    if route.end_s > shift_end + TIME_TOLERANCE_S:
        violations.append(f"ends {route.end_s:.0f} s after its shift {shift_end:.0f} s")
    if vehicle.max_duration_s is not None and (
            route.duration_s > vehicle.max_duration_s + TIME_TOLERANCE_S):
        violations.append(f"lasts {route.duration_s:.0f} s > max {vehicle.max_duration_s} s")
    departure = route.start_s
    for leg, visit in zip(route.legs, route.visits, strict=False):
        if abs(visit.arrival_s - (departure + leg.duration_s)) > TIME_TOLERANCE_S:
            violations.append(f"{visit.job_id} arrives {visit.arrival_s:.0f} s, expected "
                              f"{departure + leg.duration_s:.0f} s")
        if visit.start_s < visit.arrival_s - TIME_TOLERANCE_S:
            violations.append(f"{visit.job_id} starts before it arrives")
        violations += _check_visit_duration(problem, vehicle, visit)
        departure = visit.departure_s
    if abs(route.end_s - (departure + route.legs[-1].duration_s)) > TIME_TOLERANCE_S:
        violations.append(f"ends {route.end_s:.0f} s, expected "
                          f"{departure + route.legs[-1].duration_s:.0f} s")
    return violations


def _check_visit_duration(problem: RoutingProblem, vehicle: Vehicle, visit: Visit) -> list[str]:
    spent = visit.departure_s - visit.start_s
    if visit.kind in JOB_KINDS:
        job = problem.job(visit.job_id)
        violations = []
        if not any(a - TIME_TOLERANCE_S <= visit.start_s <= b + TIME_TOLERANCE_S
                   for a, b in job.time_windows_s):
            violations.append(f"{job.id} starts service {visit.start_s:.0f} s outside its "
                              f"windows {job.time_windows_s}")
        if spent < job.service_duration_s - TIME_TOLERANCE_S:
            violations.append(f"{job.id} served {spent:.0f} s < {job.service_duration_s} s")
        return violations
    if visit.kind == "reload" and spent < vehicle.reload_duration_s - TIME_TOLERANCE_S:
        return [f"reload lasts {spent:.0f} s < {vehicle.reload_duration_s} s"]
    if visit.kind == "break":
        if vehicle.driver_break is None:
            return ["break on a vehicle without a driver-break rule"]
        if spent < vehicle.driver_break.duration_s - TIME_TOLERANCE_S:
            return [f"break lasts {spent:.0f} s < {vehicle.driver_break.duration_s} s"]
    if visit.kind not in (*JOB_KINDS, "reload", "break"):
        return [f"visit {visit.job_id} has unknown kind {visit.kind!r}"]
    return []


def _shipment_ends(problem: RoutingProblem) -> tuple[set[str], set[str]]:
    return ({s.pickup.id for s in problem.shipments}, {s.delivery.id for s in problem.shipments})


def _check_loads(problem: RoutingProblem, vehicle: Vehicle, route: Route) -> list[str]:
    violations: list[str] = []
    shipment_pickups, shipment_deliveries = _shipment_ends(problem)
    reloads = sum(1 for v in route.visits if v.kind == "reload")
    if reloads > vehicle.max_trips - 1:
        violations.append(f"{reloads + 1} trips > max_trips {vehicle.max_trips}")
    for unit, capacity in (("kg", vehicle.capacity_kg), ("m3", vehicle.capacity_m3)):
        trips: list[list[Job]] = [[]]
        for visit in route.visits:
            if visit.kind == "reload":
                trips.append([])
            elif visit.kind in JOB_KINDS and _known(problem, visit.job_id):
                trips[-1].append(problem.job(visit.job_id))
        trip = 0
        depot_goods = sum(getattr(j, f"delivery_{unit}") for j in trips[0]
                          if j.id not in shipment_pickups | shipment_deliveries)
        collected = in_transit = 0.0
        load = depot_goods
        for k, visit in enumerate(route.visits):
            violations += _compare_load(k, unit, route.legs[k], load, capacity)
            if visit.kind == "reload":
                if in_transit > LOAD_TOLERANCE:
                    violations.append(f"reload with {in_transit:g} {unit} of shipments on board")
                trip += 1
                depot_goods = sum(getattr(j, f"delivery_{unit}") for j in trips[trip]
                                  if j.id not in shipment_pickups | shipment_deliveries)
                collected = 0.0
            elif visit.kind in JOB_KINDS and _known(problem, visit.job_id):
                job = problem.job(visit.job_id)
                if job.id in shipment_pickups:
                    in_transit += getattr(job, f"pickup_{unit}")
                elif job.id in shipment_deliveries:
                    in_transit -= getattr(job, f"delivery_{unit}")
                else:
                    depot_goods -= getattr(job, f"delivery_{unit}")
                    collected += getattr(job, f"pickup_{unit}")
            load = depot_goods + collected + in_transit
            reported = getattr(visit, f"load_{unit}")
            if abs(reported - load) > LOAD_TOLERANCE * max(1.0, abs(load)):
                violations.append(f"visit {k} ({visit.job_id}) reports load {reported:g} {unit}, "
                                  f"recomputed {load:g}")
            if load > capacity + LOAD_TOLERANCE * max(1.0, capacity) or load < -LOAD_TOLERANCE:
                violations.append(f"load {load:g} {unit} after {visit.job_id} outside "
                                  f"[0, {capacity:g}]")
        violations += _compare_load(len(route.visits), unit, route.legs[-1], load, capacity)
    return violations


def _known(problem: RoutingProblem, job_id: str) -> bool:
    return any(job.id == job_id for job in problem.all_jobs())


def _compare_load(k: int, unit: str, leg: object, load: float, capacity: float) -> list[str]:
    violations = []
    reported = getattr(leg, f"load_{unit}")
    if abs(reported - load) > LOAD_TOLERANCE * max(1.0, abs(load)):
        violations.append(f"leg {k} reports load {reported:g} {unit}, recomputed {load:g}")
    if load > capacity + LOAD_TOLERANCE * max(1.0, capacity):
        violations.append(f"leg {k} carries {load:g} {unit} > capacity {capacity:g}")
    return violations


def _check_breaks(vehicle: Vehicle, route: Route) -> list[str]:
    rule = vehicle.driver_break
    if rule is None:
        return []
    violations = []
    driving = 0.0
    for leg, visit in zip(route.legs, [*route.visits, None], strict=True):
        driving += leg.duration_s
        long_enough = visit is not None and visit.kind == "break" and (
            visit.departure_s - visit.start_s >= rule.duration_s - TIME_TOLERANCE_S)
        if visit is None or long_enough:
            if driving > rule.after_driving_s + TIME_TOLERANCE_S:
                violations.append(f"{driving:.0f} s of driving without a "
                                  f"{rule.duration_s:.0f} s break (limit "
                                  f"{rule.after_driving_s:.0f} s)")
            driving = 0.0
    return violations


def _check_shipments(problem: RoutingProblem, solution: Solution) -> list[str]:
    where: dict[str, tuple[int, int, int]] = {}  # job id -> (route, position, trip)
    for r, route in enumerate(solution.routes):
        trip = 0
        for k, visit in enumerate(route.visits):
            trip += visit.kind == "reload"
            if visit.kind in JOB_KINDS:
                where[visit.job_id] = (r, k, trip)
    violations = []
    for shipment in problem.shipments:
        pickup, delivery = where.get(shipment.pickup.id), where.get(shipment.delivery.id)
        if pickup is None and delivery is None:
            continue
        if pickup is None or delivery is None:
            violations.append(f"shipment {shipment.id}: only one end is served")
        elif pickup[0] != delivery[0] or pickup[2] != delivery[2]:
            violations.append(f"shipment {shipment.id}: ends on different routes or trips")
        elif pickup[1] > delivery[1]:
            violations.append(f"shipment {shipment.id}: delivered before it is picked up")
    return violations
