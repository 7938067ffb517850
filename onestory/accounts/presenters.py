"""What the pages a family opens without signing in show of their area."""


def for_families(area) -> dict:
    """The context for a family's page: the name families see in the header and
    the title (in place of "onestory"), and the area for its contact
    (accounts/_contact_for_families.html). Nothing when the area is unknown,
    as for a link that was never sent. Either way the name in the header links
    nowhere: the service's own front page is the staff sign-in."""
    if area is None:
        return {"service_unlinked": True}
    return {
        "service_name": area.name_for_families,
        "area": area,
        "service_unlinked": True,
    }
