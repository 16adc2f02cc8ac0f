"""Station secret keys at rest: MultiFernet (the gateway needs each key in clear to sign frames)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

SHOWN_TAIL = 2


class KeyUnavailable(Exception):
    """No key is configured, or a stored secret cannot be decrypted with the configured keys."""


class KeyCipher:
    """Encrypts with the first configured key and decrypts with any, for rotation."""

    def __init__(self, keys: list[str]) -> None:
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys]) if keys else None

    def encrypt(self, secret: str) -> str:
        """The stored form of `secret`."""
        if self._fernet is None:
            raise KeyUnavailable("no key encryption key is configured")
        return self._fernet.encrypt(secret.encode()).decode()

    def decrypt(self, stored: str) -> str:
        """The secret behind its stored form."""
        if self._fernet is None:
            raise KeyUnavailable("no key encryption key is configured")
        try:
            return self._fernet.decrypt(stored.encode()).decode()
        except InvalidToken:
            raise KeyUnavailable("the stored secret cannot be decrypted with the configured keys") from None


def key_hint(secret: str) -> str:
    """What may be shown of a secret: its last characters, the rest masked."""
    tail = secret[-SHOWN_TAIL:] if len(secret) > SHOWN_TAIL * 2 else ""
    return "*" * max(len(secret) - len(tail), 4) + tail
