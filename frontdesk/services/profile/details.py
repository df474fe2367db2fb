"""Profile Details: name, phone, email, birthday and notes, read-only for travel members."""

from __future__ import annotations

import datetime as dt

from frontdesk.domain.errors import TravelMemberReadOnly
from frontdesk.domain.fields import (
    clean_email,
    clean_name,
    clean_note,
    clean_phone,
    parse_birthday,
)
from frontdesk.domain.normalize import digits, fold
from frontdesk.services.area import Area
from frontdesk.services.clients import summary_in
from frontdesk.services.profile.lookups import home_name, is_travel, load_client
from frontdesk.views import ClientSummary


class DetailsCases(Area):
    """The Profile Details tab."""

    async def update_details(
        self,
        client_id: int,
        *,
        current_location_id: int | None,
        first_name: str,
        last_name: str,
        phone: str,
        email: str,
        birthday: str,
        notes: str,
        today: dt.date | None = None,
    ) -> ClientSummary:
        """Save Profile Details; every field is checked before anything is written."""
        first = clean_name(first_name, "first_name", "first name")
        last = clean_name(last_name, "last_name", "last name")
        phone_text = clean_phone(phone)
        email_text = clean_email(email)
        born = parse_birthday(birthday, today or dt.date.today())
        notes_text = clean_note(notes, "notes")
        async with self.ctx.transaction() as session:
            client = await load_client(session, client_id)
            if is_travel(client, current_location_id):
                raise TravelMemberReadOnly(
                    await home_name(session, client) or "their home location"
                )
            client.first_name = first
            client.last_name = last
            client.phone = phone_text
            client.email = email_text
            client.birthday = born
            client.notes = notes_text
            client.search_first = fold(first)
            client.search_last = fold(last)
            client.phone_digits = digits(phone_text)
            client.email_lower = email_text.casefold()
            await session.flush()
            return await summary_in(session, client_id)
