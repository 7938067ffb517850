"""The attacker's side of suppression, written apart from the rule it checks:
what a reader outside the team can work out from what a suppressed report
shows, by adding and subtracting within its identities."""

from onestory.insights import disclosure


def equations(identities):
    """Identities a reader can solve: every sum and every shared count (a
    breakdown whose lines can overlap is taken as a sum, as it often is one)."""
    return [i for i in identities if i.total is not None]


def recovered(counts, identities, hidden) -> set:
    """Hidden cells a reader can work out: start from every cell not hidden
    (rests included: known from their numerator and denominator), and while
    an identity has exactly one unknown cell, work it out from the others."""
    known = {cell for cell in counts if cell not in hidden}
    changed = True
    while changed:
        changed = False
        for identity in equations(identities):
            unknown = [c for c in identity.cells if c not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                changed = True
    return known & set(hidden)


def check(counts, identities, shown: disclosure.Shown) -> None:
    """Every count from 1 to 4 is hidden; no identity has exactly one hidden
    cell; and no hidden count can be worked out from the shown ones."""
    hidden = shown.hidden
    usable = [i for i in identities if all(c in counts for c in i.cells)]
    small = {c for c, n in counts.items() if disclosure.is_small(n)}
    assert small <= hidden, small - hidden
    for identity in usable:
        inside = [c for c in identity.cells if c in hidden]
        assert len(inside) != 1, (identity, inside)
    assert recovered(counts, usable, hidden) == set()
