"""Signed values that every request of a device carries again and again (its session cookie,
its CSRF token), checked in full once and then remembered.

A device sends the very same signed strings with every command. Checking a signature (an
HMAC, base64 and JSON) costs the same each time, and the session cookie and the CSRF token
together were about a tenth of a need card's time in the server. `Verified` keeps each value
that passed, with its payload (as the signer's serializer writes it) and when it was signed:

- a value that was never checked, or differs by one character, is checked in full;
- a kept value's age is checked against the limit every time, so it expires as before;
- its payload is decoded afresh every time, so no request shares objects with another;
- the values are kept per signer (one per set of keys), so a new SECRET_KEY checks again.
"""

import hmac
import logging
import time

from flask import current_app, g, request, session
from flask_wtf.csrf import CSRFProtect, ValidationError, same_origin
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

log = logging.getLogger("flask_wtf.csrf")  # where flask_wtf logs why a token was refused


class Verified:
    """Values that passed their signer's check, per signer, at most KEPT of them (then all
    are forgotten at once: an attacker who sends new values only makes us check them)."""

    KEPT = 4096

    def __init__(self) -> None:
        self.kept: dict[URLSafeTimedSerializer, dict[str, tuple[str, int]]] = {}

    def loads(self, signer: URLSafeTimedSerializer, value: str, max_age: int | None):
        """What `signer.loads(value, max_age=max_age)` returns, and raises what it raises
        (BadSignature, SignatureExpired: both BadData)."""
        kept = self.kept.setdefault(signer, {})
        entry = kept.get(value)
        if entry is not None and (max_age is None or 0 <= int(time.time()) - entry[1] <= max_age):
            return signer.serializer.loads(entry[0])
        data, signed = signer.loads(value, max_age=max_age, return_timestamp=True)
        if len(kept) >= self.KEPT:
            kept.clear()
        kept[value] = (signer.serializer.dumps(data), int(signed.timestamp()))
        return data


class CSRF(CSRFProtect):
    """flask_wtf's CSRF protection, deciding as it does (the same checks, messages and
    CSRFError), with the token's signature check remembered (Verified)."""

    SALT = "wtf-csrf-token"  # flask_wtf's: the tokens its generate_csrf signs

    def __init__(self, app=None) -> None:
        self.signers: dict[str | bytes, URLSafeTimedSerializer] = {}
        self.verified = Verified()
        super().__init__(app)

    def protect(self, apply_exemptions: bool = False) -> None:
        """flask_wtf's CSRFProtect.protect (1.3), with validate() for its validate_csrf."""
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        try:
            self.validate(self._get_csrf_token())
        except ValidationError as error:
            log.info(error.args[0])
            self._error_response(error.args[0])
        if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True

    def validate(self, data: str | None) -> None:
        """flask_wtf's validate_csrf with the app's settings: ValidationError unless `data`
        is a token signed with the key for the raw token in this device's session."""
        config = current_app.config
        secret = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        field = config["WTF_CSRF_FIELD_NAME"]
        if not data:
            raise ValidationError("The CSRF token is missing.")
        if field not in session:
            raise ValidationError("The CSRF session token is missing.")
        if secret not in self.signers:
            self.signers[secret] = URLSafeTimedSerializer(secret, salt=self.SALT)
        try:
            token = self.verified.loads(self.signers[secret], data, config["WTF_CSRF_TIME_LIMIT"])
        except SignatureExpired as error:
            raise ValidationError("The CSRF token has expired.") from error
        except BadData as error:
            raise ValidationError("The CSRF token is invalid.") from error
        if not isinstance(token, str) or not hmac.compare_digest(session[field], token):
            raise ValidationError("The CSRF tokens do not match.")
