"""Event actions, the only code that changes events, registrations, requests, the time grid and
agendas, one module per job:

- `organising`: the event and the items of its programme;
- `registering`: registrations, the organiser's decisions, the waiting list;
- `matchmaking`: B2B meeting requests, answers and the feedback after a meeting;
- `timetable`: sessions, slots, tables, locked meetings and published agendas.

Each action checks permission, validates (refusing with a reason a person can act on), writes in
one transaction, records an audit entry and notifies the people concerned after the commit.
"""
