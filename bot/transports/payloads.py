"""Reading what a webhook was sent: a JSON object in valid Unicode, or `Malformed`."""

from __future__ import annotations

import json
from typing import Any


class Malformed(ValueError):
    """A body that is not what the platform sends; the message says why (never the body)."""


def json_object(body: bytes | str) -> dict[str, Any]:
    """The JSON object in `body`; Malformed for anything else: bad UTF-8 or JSON, another
    type, nesting too deep to parse, or a lone surrogate (valid JSON, invalid text)."""
    try:
        value = json.loads(body)
    except RecursionError:
        raise Malformed("nested too deep") from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError alike
        raise Malformed("not JSON") from None
    if not isinstance(value, dict):
        raise Malformed("not a JSON object")
    try:
        json.dumps(value, ensure_ascii=False).encode()
    except UnicodeEncodeError:
        raise Malformed("not valid Unicode") from None
    except RecursionError:
        raise Malformed("nested too deep") from None
    return value
