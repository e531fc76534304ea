"""What waits for the caller (waiting/api.py): every signed-in role reads its own list."""

from tests.security.access import USERS, Op

API = {
    ("GET", "/api/waiting"): Op(expect=USERS),
}
