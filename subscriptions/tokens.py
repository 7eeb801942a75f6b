"""The signed links in the mails (Django's signing: ``SECRET_KEY`` and a salt per purpose, so
nobody can make or change a link without the key).

- **Confirming** carries the address and the column, the only place a request to subscribe
  is kept, and expires after ``CONFIRM_DAYS``.
- **Unsubscribing** carries the address and never expires: a mail read months later must
  still unsubscribe (RFC 8058 expects the ``List-Unsubscribe`` address to keep working).
"""

from __future__ import annotations

from datetime import timedelta

from django.core import signing

CONFIRM_DAYS = 7
_CONFIRM_SALT = "subscriptions.confirm"
_UNSUBSCRIBE_SALT = "subscriptions.unsubscribe"

BadLink = signing.BadSignature  # made or changed without the key


class Expired(Exception):
    """A genuine confirmation link older than ``CONFIRM_DAYS``; ``column_id`` says where to
    subscribe again."""

    def __init__(self, column_id: int):
        super().__init__(column_id)
        self.column_id = column_id


def confirm_token(email: str, column_id: int) -> str:
    return signing.dumps({"e": email, "c": column_id}, salt=_CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> tuple[str, int]:
    """(address, column id); raises ``BadLink`` or ``Expired``."""
    try:
        data = signing.loads(token, salt=_CONFIRM_SALT, max_age=timedelta(days=CONFIRM_DAYS))
    except signing.SignatureExpired:
        data = _payload(signing.loads(token, salt=_CONFIRM_SALT))  # genuine, only old
        raise Expired(data[1]) from None
    return _payload(data)


def _payload(data) -> tuple[str, int]:
    if not isinstance(data, dict) or not isinstance(data.get("e"), str) or not isinstance(data.get("c"), int):
        raise BadLink("unexpected payload")
    return data["e"], data["c"]


def unsubscribe_token(email: str) -> str:
    return signing.dumps(email, salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> str:
    """The address; raises ``BadLink``."""
    email = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    if not isinstance(email, str):
        raise BadLink("unexpected payload")
    return email
