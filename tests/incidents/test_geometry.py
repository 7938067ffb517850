"""Where: the domain's inside or outside of a circle and of a route's buffer is
shapely's (a point is inside when its distance is at most the radius or the
buffer), on real Plymouth postcode points, on points built exactly on the
boundary, and on random shapes; grid references and postcodes are read as
people write them."""

import csv
import math
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString
from shapely.geometry import Point as ShapelyPoint

from onestory.incidents import domain
from onestory.incidents.postcodes import PLYMOUTH

PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=400)
# Floating point cannot say which side of the line a point a hair's breadth
# from it lies: within this many metres, either answer is right.
BOUNDARY = 1e-6


@cache
def _shipped() -> dict[str, domain.Point]:
    with PLYMOUTH.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["postcode"]: (int(row["easting"]), int(row["northing"])) for row in rows
    }


def _keyham() -> domain.Point:
    return _shipped()["PL2 1AB"]


def _real_route() -> domain.Route:
    # Along the Tamar side: Devonport, Stonehouse, Keyham, north of Keyham.
    stops = ["PL1 1AE", "PL1 2AA", "PL2 1AB", "PL2 2AA"]
    return domain.Route(tuple(_shipped()[code] for code in stops), 300)


def _shapely_distance(shape: domain.Circle | domain.Route, point) -> float:
    target = ShapelyPoint(point)
    if isinstance(shape, domain.Circle):
        return ShapelyPoint(shape.centre).distance(target)
    if len(shape.points) == 1:
        return ShapelyPoint(shape.points[0]).distance(target)
    return LineString(shape.points).distance(target)


def _limit(shape: domain.Circle | domain.Route) -> float:
    return shape.radius if isinstance(shape, domain.Circle) else shape.buffer


def _shapely_contains(shape, point) -> bool:
    return _shapely_distance(shape, point) <= _limit(shape)


# Real postcode points ----------------------------------------------------------


def test_the_keyham_circle_holds_exactly_the_postcodes_shapely_says():
    circle = domain.Circle(_keyham(), 309)
    inside = {code for code, point in _shipped().items() if circle.contains(point)}
    assert inside == {
        code for code, point in _shipped().items() if _shapely_contains(circle, point)
    }
    # A fair test: dozens inside, thousands outside, the centre's own inside.
    assert "PL2 1AB" in inside
    assert 20 < len(inside) < 500


def test_the_route_buffer_holds_exactly_the_postcodes_shapely_says():
    route = _real_route()
    inside = {code for code, point in _shipped().items() if route.contains(point)}
    assert inside == {
        code for code, point in _shipped().items() if _shapely_contains(route, point)
    }
    assert {"PL1 1AE", "PL1 2AA", "PL2 1AB", "PL2 2AA"} <= inside
    assert 50 < len(inside) < 2000


def test_the_boxes_hold_their_shapes():
    circle, route = domain.Circle(_keyham(), 309), _real_route()
    for shape in (circle, route):
        west, south, east, north = shape.box()
        inside = [p for p in _shipped().values() if shape.contains(p)]
        assert all(west <= e <= east and south <= n <= north for e, n in inside)
    e, n = _keyham()
    assert circle.box() == (e - 309, n - 309, e + 309, n + 309)


# Exactly on the boundary -------------------------------------------------------


def test_a_point_on_the_circle_is_inside_and_a_hair_beyond_it_is_not():
    e, n = _keyham()
    circle = domain.Circle((e, n), 309)
    on = [(e + 309, n), (e - 309, n), (e, n + 309), (e, n - 309)]
    beyond = [
        (math.nextafter(e + 309, math.inf), n),
        (e, math.nextafter(n - 309, -math.inf)),
        (e + 309.001, n),
    ]
    for point in on:
        assert _shapely_distance(circle, point) == 309
        assert circle.contains(point)
        assert _shapely_contains(circle, point)
    for point in beyond:
        assert not circle.contains(point)
        assert not _shapely_contains(circle, point)


def _exact_route() -> domain.Route:
    """From the Keyham point, legs along 3-4-5 triangles and the grid, so the
    points at the buffer's distance can be built with no rounding at all."""
    e, n = _keyham()
    return domain.Route(((e, n), (e + 600, n + 800), (e + 1400, n + 200)), 300)


def test_a_point_at_the_buffer_beside_a_leg_is_inside_and_a_hair_beyond_is_not():
    route = _exact_route()
    (e, n), (e1, n1), _ = route.points
    # The first leg runs (600, 800): 1000 m, its unit normal (-0.8, 0.6). Its
    # middle is (e + 300, n + 400); 300 m out to the west: (-240, +180).
    on = (e + 300 - 240, n + 400 + 180)
    assert domain.distance_to_segment(on, (e, n), (e1, n1)) == 300
    assert route.contains(on)
    assert _shapely_distance(route, on) == pytest.approx(300, abs=1e-9)
    beyond = (e + 300 - 240.0008, n + 400 + 180.0006)  # 300.001 m
    assert not route.contains(beyond)
    assert not _shapely_contains(route, beyond)


def test_a_point_at_the_buffer_beyond_a_legs_end_is_inside_and_beyond_is_not():
    route = _exact_route()
    (e, n), _, (e2, n2) = route.points
    # Beyond the route's start, back along the first leg (-180, -240), and
    # due west of it; beyond its end, along the last leg (800, -600)/1000.
    on = [(e - 180, n - 240), (e - 300, n), (e2 + 240, n2 - 180), (e2, n2 - 300)]
    for point in on:
        assert route.contains(point)
        assert _shapely_distance(route, point) == 300
        assert _shapely_contains(route, point)
    beyond = [(e - 180, n - 240.001), (math.nextafter(e - 300, -math.inf), n)]
    for point in beyond:
        assert not route.contains(point)
        assert not _shapely_contains(route, point)


def test_points_built_at_the_buffer_of_the_real_route_agree_with_shapely():
    """Beside the middle of each leg of the real route, on both sides, at the
    buffer and a millimetre either side of it."""
    route = _real_route()
    for (ae, an), (be, bn) in zip(route.points, route.points[1:], strict=False):
        length = math.hypot(be - ae, bn - an)
        normal = (-(bn - an) / length, (be - ae) / length)
        middle = ((ae + be) / 2, (an + bn) / 2)
        for side in (1, -1):
            for out in (299.999, 300, 300.001):
                point = (
                    middle[0] + side * out * normal[0],
                    middle[1] + side * out * normal[1],
                )
                _assert_agrees(route, point)


def test_a_one_point_route_is_a_circle_and_a_repeated_point_changes_nothing():
    e, n = _keyham()
    alone = domain.Route(((e, n),), 300)
    assert alone.contains((e + 300, n))
    assert not alone.contains((e + 300.001, n))
    repeated = domain.Route(((e, n), (e, n), (e + 1000, n)), 300)
    assert repeated.contains((e + 500, n - 300))
    assert not repeated.contains((e - 300.001, n))
    assert domain.distance_to_segment((e + 3, n + 4), (e, n), (e, n)) == 5


# Random shapes and points -------------------------------------------------------


def _assert_agrees(shape, point) -> None:
    exact = _shapely_distance(shape, point)
    if abs(exact - _limit(shape)) <= BOUNDARY:
        return
    assert shape.contains(point) == (exact <= _limit(shape)), (shape, point, exact)


# Plymouth and around it, in metres.
eastings = st.floats(min_value=240_000, max_value=265_000)
northings = st.floats(min_value=45_000, max_value=70_000)
grid_points = st.tuples(eastings, northings)
whole_points = st.tuples(
    st.integers(min_value=240_000, max_value=265_000),
    st.integers(min_value=45_000, max_value=70_000),
)
lengths = st.one_of(
    st.floats(min_value=0, max_value=3_000), st.integers(min_value=0, max_value=3_000)
)
angles = st.floats(min_value=0, max_value=2 * math.pi)
# How far off the boundary a point is built: mostly a little either side (a
# micrometre to two metres), sometimes on it.
offsets = st.one_of(
    st.tuples(st.sampled_from([-1, 1]), st.floats(min_value=1e-5, max_value=2)).map(
        lambda signed: signed[0] * signed[1]
    ),
    st.just(0.0),
)


@st.composite
def circles_and_points(draw):
    centre = draw(st.one_of(grid_points, whole_points))
    circle = domain.Circle(centre, draw(lengths))
    near = draw(offsets)
    angle = draw(angles)
    around = (
        centre[0] + (circle.radius + near) * math.cos(angle),
        centre[1] + (circle.radius + near) * math.sin(angle),
    )
    return circle, draw(st.sampled_from([around, draw(grid_points)]))


@st.composite
def routes_and_points(draw):
    stops = draw(st.lists(st.one_of(grid_points, whole_points), min_size=1, max_size=6))
    route = domain.Route(tuple(stops), draw(lengths))
    # A point near a leg at about the buffer's distance, beside it or beyond
    # its ends; or anywhere.
    leg = draw(st.integers(min_value=0, max_value=len(stops) - 1))
    (ae, an) = stops[leg]
    (be, bn) = stops[min(leg + 1, len(stops) - 1)]
    along = draw(st.floats(min_value=-0.5, max_value=1.5))
    angle = draw(angles)
    out = route.buffer + draw(offsets)
    near = (
        ae + along * (be - ae) + out * math.cos(angle),
        an + along * (bn - an) + out * math.sin(angle),
    )
    return route, draw(st.sampled_from([near, draw(grid_points)]))


@PROPERTY
@given(circles_and_points())
def test_random_circles_agree_with_shapely(case):
    circle, point = case
    _assert_agrees(circle, point)
    assert (
        abs(domain.distance(point, circle.centre) - _shapely_distance(circle, point))
        <= BOUNDARY
    )


@PROPERTY
@given(routes_and_points())
def test_random_routes_agree_with_shapely(case):
    route, point = case
    _assert_agrees(route, point)
    legs = zip(route.points, route.points[1:], strict=False)
    nearest = min(
        (domain.distance_to_segment(point, a, b) for a, b in legs),
        default=domain.distance(point, route.points[0]),
    )
    assert abs(nearest - _shapely_distance(route, point)) <= BOUNDARY


# Grid references and postcodes ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("TQ 30039 80374", (530039.5, 180374.5)),  # to the metre: its centre
        ("tq3003980374", (530039.5, 180374.5)),
        ("SX 4560 5590", (245605.0, 55905.0)),  # Devonport, to 10 m
        ("SX45605590", (245605.0, 55905.0)),
        ("SX 456 559", (245650.0, 55950.0)),
        ("SX 45 55", (245500.0, 55500.0)),
        ("SX 4 5", (245000.0, 55000.0)),  # a 10 km square
        ("SX 48005 54543", (248005.5, 54543.5)),  # PL1 1AE
        ("SV 0 0", (5000.0, 5000.0)),  # the grid's false origin
        ("NN 166 712", (216650.0, 771250.0)),  # Ben Nevis
        ("HP 6 1", (465000.0, 1215000.0)),  # Shetland
        ("245600,55900", (245600.0, 55900.0)),
        (" 245600 , 55900 ", (245600.0, 55900.0)),
    ],
)
def test_a_grid_reference_is_the_centre_of_the_square_it_names(text, point):
    assert domain.grid_reference(text) == point


def test_a_shipped_postcode_written_as_a_grid_reference_is_found_again():
    for code, (e, n) in list(_shipped().items())[::500]:
        text = f"SX {e - 200_000:05d} {n:05d}"
        assert domain.grid_reference(text) == (e + 0.5, n + 0.5), code


@pytest.mark.parametrize(
    "text",
    [
        "",
        "SX",
        "SX 123",  # an odd number of digits
        "SX 123456 123456",  # more than ten
        "SI 4560 5590",  # no I in the grid's letters
        "S1 4560 5590",
        "SX 45A0 5590",
        "4560 5590",
        "245600",
        "245600,",
        "245600,55900,0",
        "-245600,55900",
        "245600.5,55900",
        "PL2 1AB",
    ],
)
def test_anything_else_is_not_a_grid_reference(text):
    assert domain.grid_reference(text) is None
