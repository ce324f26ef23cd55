"""The one error of the domain: input a service refuses, as the messages of each field at fault.

Services raise it with messages marked for translation (lazy_gettext), so each is shown in the
reader's language. One helper each turns it into form errors (app.blueprints.forms), a 422 API
answer (app.errors) or a command-line message (app.cli.common); nobody reads its text.
"""

from __future__ import annotations

from collections.abc import Mapping


def _as_list(messages: object) -> list[object]:
    """One message, a list of them, or marshmallow's nested ones (a list field's items)."""
    if isinstance(messages, list | tuple):
        return [m for item in messages for m in _as_list(item)]
    if isinstance(messages, Mapping):
        return [m for item in messages.values() for m in _as_list(item)]
    return [messages]


class DomainError(ValueError):
    def __init__(self, errors: Mapping[str, object]):
        super().__init__()
        self.errors: dict[str, list[object]] = {
            field: _as_list(messages) for field, messages in errors.items()
        }

    @classmethod
    def on(cls, field: str, message: object) -> DomainError:
        return cls({field: [message]})

    def messages(self) -> dict[str, list[str]]:
        """Every message as text, in the language of the request (or French outside one)."""
        return {field: [str(m) for m in messages] for field, messages in self.errors.items()}

    def summary(self) -> str:
        """All messages in one sentence, for a notice that belongs to no field."""
        return " ".join(m for messages in self.messages().values() for m in messages)

    def __str__(self) -> str:
        return "; ".join(f"{f} : {' '.join(ms)}" for f, ms in self.messages().items())
