"""The postcode directory: the shipped Plymouth file loads whole; a file with
bad rows names every one and loads nothing; a load replaces, never adds."""

import io

import pytest
from django.core.management import CommandError, call_command

from onestory.incidents import postcodes
from onestory.incidents.models import PostcodePoint

pytestmark = pytest.mark.django_db

BAD_FILE = (
    "postcode,quality,easting,northing\n"
    "PL1 1AE,10,248005,54543\n"  # line 2: good
    "PL2 XYZ,10,245000,56000\n"  # line 3: no such shape of postcode
    "PL2 1AA,ten,245000,56000\n"  # line 4
    "PL2 1AB,10,245000.5,56000\n"  # line 5
    "PL2 1AD,10,-3,56000\n"  # line 6
    "PL2 1AE,10,245000,1300001\n"  # line 7
    "PL1 1AE,10,248005,54543\n"  # line 8: twice
    "PL2 1AF,10\n"  # line 9
    "PL2 1AG,90,0,0\n"  # line 10: no coordinates, skipped, not refused
    "PL2 1AH,10,800000,56000\n"  # line 11
)
BAD_FILE_PROBLEMS = [
    "Line 3: postcode 'PL2 XYZ' is not a postcode.",
    "Line 4: quality 'ten' is not a whole number from 10 to 90.",
    "Line 5: easting '245000.5' is not a whole number from 0 to 700000.",
    "Line 6: easting '-3' is not a whole number from 0 to 700000.",
    "Line 7: northing '1300001' is not a whole number from 0 to 1300000.",
    "Line 8: PL1 1AE is already on line 2.",
    "Line 9: it has 2 columns, not postcode, quality, easting and northing.",
    "Line 11: easting '800000' is not a whole number from 0 to 700000.",
]


def _shipped_rows() -> list[str]:
    lines = postcodes.PLYMOUTH.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "postcode,quality,easting,northing"
    return lines[1:]


def _directory() -> dict[str, tuple[int, int, int]]:
    return {
        p.postcode: (p.easting, p.northing, p.quality)
        for p in PostcodePoint.objects.all()
    }


def test_the_shipped_file_loads_every_row():
    rows = _shipped_rows()
    assert postcodes.load_postcodes(postcodes.read_plymouth()) == len(rows) == 6990
    assert PostcodePoint.objects.count() == 6990
    assert _directory()["PL1 1AE"] == (248005, 54543, 10)
    # Plymouth's districts only, PL1 to PL9: not PL10 and beyond (Cornwall).
    districts = {code.split(" ")[0] for code in _directory()}
    assert districts == {f"PL{n}" for n in range(1, 10)}


def test_the_shipped_file_is_sorted_and_its_readme_gives_the_attribution():
    rows = _shipped_rows()
    assert rows == sorted(rows)
    readme = (postcodes.PLYMOUTH.parent / "README.md").read_text(encoding="utf-8")
    for line in postcodes.ATTRIBUTION:
        assert line in readme
    assert "6,990" in readme or "6990" in readme


def test_headerless_code_point_open_rows_are_read_as_they_are_shipped():
    text = (
        '"PL2 1AB",10,245123,56789,"E92000001","E19000002","E18000010","",'
        '"E06000026","E05012345"\n'
        "PL101AA,10,241000,53000\n"
        "M1  1AE,20,384000,398000\n"
        "\n"
    )
    points = postcodes.read_postcodes(io.StringIO(text))
    assert [(p.postcode, p.quality, p.easting, p.northing) for p in points] == [
        ("PL2 1AB", 10, 245123, 56789),
        ("PL10 1AA", 10, 241000, 53000),
        ("M1 1AE", 20, 384000, 398000),
    ]


def test_a_postcode_without_coordinates_is_skipped_not_refused():
    text = "postcode,quality,easting,northing\nPL2 1AB,90,,\nPL2 1AD,10,245000,56000\n"
    points = postcodes.read_postcodes(io.StringIO(text))
    assert [p.postcode for p in points] == ["PL2 1AD"]


def test_a_file_with_bad_rows_names_each_and_loads_nothing():
    postcodes.load_postcodes(postcodes.read_plymouth())
    before = _directory()
    with pytest.raises(postcodes.BadPostcodeFile) as raised:
        postcodes.load_postcodes(postcodes.read_postcodes(io.StringIO(BAD_FILE)))
    assert raised.value.problems == BAD_FILE_PROBLEMS
    assert _directory() == before


@pytest.mark.parametrize("text", ["", "postcode,quality,easting,northing\n"])
def test_a_file_with_no_postcodes_is_refused_rather_than_emptying_the_directory(
    text,
):
    with pytest.raises(postcodes.BadPostcodeFile) as raised:
        postcodes.read_postcodes(io.StringIO(text))
    assert raised.value.problems == ["The file has no postcodes with coordinates."]


def test_a_second_load_replaces_the_directory_never_doubling_it():
    postcodes.load_postcodes(postcodes.read_plymouth())
    postcodes.load_postcodes(postcodes.read_plymouth())
    assert PostcodePoint.objects.count() == 6990
    smaller = "PL2 1AB,10,245123,56789\nPL2 1AD,10,245200,56800\n"
    assert postcodes.load_postcodes(postcodes.read_postcodes(io.StringIO(smaller))) == 2
    assert _directory() == {
        "PL2 1AB": (245123, 56789, 10),
        "PL2 1AD": (245200, 56800, 10),
    }


def test_the_command_loads_the_shipped_file_by_default():
    out = io.StringIO()
    call_command("load_postcodes", stdout=out)
    assert out.getvalue().strip() == "Loaded 6990 postcodes."
    assert PostcodePoint.objects.count() == 6990


def test_the_command_loads_a_given_file_and_replaces(tmp_path):
    call_command("load_postcodes", stdout=io.StringIO())
    path = tmp_path / "other.csv"
    path.write_text("postcode,quality,easting,northing\nPL2 1AB,10,245123,56789\n")
    out = io.StringIO()
    call_command("load_postcodes", "--file", str(path), stdout=out)
    assert out.getvalue().strip() == "Loaded 1 postcodes."
    assert list(_directory()) == ["PL2 1AB"]


def test_the_command_names_every_bad_row_and_changes_nothing(tmp_path):
    call_command("load_postcodes", stdout=io.StringIO())
    before = _directory()
    path = tmp_path / "bad.csv"
    path.write_text(BAD_FILE, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("load_postcodes", "--file", str(path), stdout=out, stderr=err)
    assert str(raised.value) == "8 rows are wrong: nothing was loaded."
    assert err.getvalue().splitlines() == BAD_FILE_PROBLEMS
    assert out.getvalue() == ""
    assert _directory() == before


def test_the_command_says_when_it_cannot_read_the_file(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("load_postcodes", "--file", str(tmp_path / "missing.csv"))
    assert str(raised.value).startswith("Cannot read ")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(CommandError) as raised:
        call_command("load_postcodes", "--file", str(empty), stderr=io.StringIO())
    assert str(raised.value) == "1 row is wrong: nothing was loaded."


def test_the_plymouth_districts_are_read_once_in_order():
    by_district = postcodes.plymouth_by_district()
    assert by_district is postcodes.plymouth_by_district()
    assert sum(len(codes) for codes in by_district.values()) == 6990
    assert all(codes == tuple(sorted(codes)) for codes in by_district.values())
    assert all(code.startswith("PL2 ") for code in by_district["PL2"])


def test_the_demo_citys_families_live_at_postcodes_of_the_directory(settings):
    from onestory.families.models import Family

    settings.DEBUG = True  # the demo runs in development only
    call_command(
        "demo", families=30, seed=4, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert PostcodePoint.objects.count() == 6990
    lived_at = set(Family.objects.values_list("postcode", flat=True))
    assert lived_at
    assert lived_at <= set(_directory())
