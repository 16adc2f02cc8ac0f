"""Device passwords at rest: Fernet (MultiFernet for rotation), keys validated at startup."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from opsuite.core.settings import read_or_create_secret
from opsuite.scales import messages
from opsuite.scales.errors import PasswordUndecryptable


class FernetKeyError(ValueError):
    """The configured Fernet key is missing or malformed."""


class DeviceCipher:
    """Encrypts and decrypts device passwords."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise FernetKeyError(
                "OPSUITE_SCALES_FERNET_KEY is not set; generate one with "
                "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`"
            )
        fernets = []
        for index, key in enumerate(keys):
            try:
                fernets.append(Fernet(key.encode()))
            except (ValueError, TypeError):
                # Never echo the key itself: it is a secret even when malformed.
                raise FernetKeyError(
                    f"OPSUITE_SCALES_FERNET_KEY (key #{index + 1}) is not a valid Fernet key: "
                    "it must be 32 url-safe base64-encoded bytes"
                ) from None
        self._fernet = MultiFernet(fernets)

    def encrypt(self, password: str) -> str:
        """Encrypt a device password."""
        return self._fernet.encrypt(password.encode()).decode()

    def decrypt(self, token: str) -> str:
        """Decrypt a stored device password."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except (InvalidToken, UnicodeDecodeError):
            raise PasswordUndecryptable(messages.PASSWORD_UNDECRYPTABLE) from None


def read_or_create_fernet_key(path: Path) -> str:
    """Return the Fernet key stored at `path`, creating it atomically on first use."""
    return read_or_create_secret(path, lambda: Fernet.generate_key().decode())
