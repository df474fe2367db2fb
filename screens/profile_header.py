"""The profile's header line: who the client is and the badges staff must not miss."""

from __future__ import annotations

from frontdesk.views.profile import ProfileHeader


def travel_reason(header: ProfileHeader) -> str:
    home = header.home_location_name or "another location"
    return f"Travel member — home location {home}; Profile Details and Account are read-only here."


def header_line(header: ProfileHeader) -> str:
    parts = [header.name, header.client_number, header.membership_plan or "No membership"]
    badges = []
    if header.opted_out:
        badges.append("Opted out")
    if header.past_due:
        badges.append("Membership past due")
    if header.owes > 0:
        badges.append(f"Owes {header.money.format(header.owes)}")
    if header.travel_member:
        badges.append(f"Travel member (home: {header.home_location_name or '?'})")
    line = " · ".join(parts)
    return f"{line} · {' · '.join(badges)}" if badges else line
