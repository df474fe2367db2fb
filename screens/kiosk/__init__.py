"""The client kiosk (issue 18, item 1): `frontdesk kiosk --location L`, its own app."""
