"""The web app's languages: which one a request reads, its refusals in that language, and the pages' texts.

A request's language is its user's choice, else the browser's `Accept-Language`, else `KAPIDA_LANG`,
else Turkish. FastAPI's own validation errors (422) are translated from pydantic's error `type`s.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from api.i18n import CURRENT, LANGUAGES, Translator, default_language, from_accept_language, translator
from api.security import Authenticator
from domain.errors import N_

# pydantic's error types → a message template over the error's `ctx` (`{min_length}`, `{expected}`, ...).
VALIDATION_MESSAGES: dict[str, str] = {
    "missing": N_("is required"),
    "extra_forbidden": N_("is not a field of this request"),
    "string_too_short": N_("must have at least {min_length} characters"),
    "string_too_long": N_("must have at most {max_length} characters"),
    "too_short": N_("must have at least {min_length} items"),
    "too_long": N_("must have at most {max_length} items"),
    "greater_than_equal": N_("must be at least {ge}"),
    "greater_than": N_("must be more than {gt}"),
    "less_than_equal": N_("must be at most {le}"),
    "less_than": N_("must be less than {lt}"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "bool_parsing": N_("must be true or false"),
    "bool_type": N_("must be true or false"),
    "date_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_type": N_("must be a date (YYYY-MM-DD)"),
    "datetime_parsing": N_("must be a date and time (YYYY-MM-DDTHH:MM+03:00)"),
    "datetime_from_date_parsing": N_("must be a date and time (YYYY-MM-DDTHH:MM+03:00)"),
    "datetime_type": N_("must be a date and time (YYYY-MM-DDTHH:MM+03:00)"),
    "timezone_aware": N_("needs a time zone"),
    "time_parsing": N_("must be a time of day (HH:MM)"),
    "time_type": N_("must be a time of day (HH:MM)"),
    "uuid_parsing": N_("must be an id (UUID)"),
    "uuid_type": N_("must be an id (UUID)"),
    "enum": N_("must be one of {expected}"),
    "literal_error": N_("must be one of {expected}"),
    "string_type": N_("must be text"),
    "list_type": N_("must be a list"),
    "dict_type": N_("must be an object"),
    "model_type": N_("must be an object"),
    "model_attributes_type": N_("must be an object"),
    "json_invalid": N_("is not valid JSON"),
    "value_error": N_("is not valid: {error}"),
}
# Starlette's own details (no such route, wrong method), so `http_error` can translate them too.
HTTP_DETAILS = (N_("Not Found"), N_("Method Not Allowed"))
INVALID = N_("is not valid")
OR = N_("or")
REQUEST = N_("request")


def request_language(request: Request) -> str:
    """The signed-in user's language, else the browser's preference, else `KAPIDA_LANG`, else Turkish."""
    authorization = request.headers.get("authorization", "")
    scheme, _sep, token = authorization.partition(" ")
    authenticator: Authenticator | None = getattr(request.app.state, "authenticator", None)
    if authenticator is not None and scheme.lower() == "bearer" and token:
        try:
            chosen = authenticator.signed_in(token.strip()).language
        except HTTPException:
            chosen = None
        if chosen:
            return chosen
    return from_accept_language(request.headers.get("accept-language")) or default_language()


def request_translator(request: Request) -> Translator:
    return translator(request_language(request))


async def in_request_language(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Middleware: code deep inside a request (the import's row problems) writes in the reader's language."""
    token = CURRENT.set(request_language(request))
    try:
        return await call_next(request)
    finally:
        CURRENT.reset(token)


def field_name(loc: list[Any]) -> str | None:
    """`members[0].birth_date`, as the domain spells fields, from a pydantic error location."""
    if loc and loc[0] in ("body", "query", "path", "header"):
        loc = loc[1:]
    name = ""
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else str(part)
    return name or None


def validation_message(error: dict[str, Any], words: Translator) -> str:
    """One pydantic error as `field: problem` in the reader's language."""
    template = VALIDATION_MESSAGES.get(str(error.get("type")), INVALID)
    context = dict(error.get("ctx") or {})
    if "error" in context:  # a validator's own ValueError: its text is all we have
        context["error"] = str(context["error"])
    if isinstance(context.get("expected"), str):  # pydantic lists choices as "'a', 'b' or 'c'"
        context["expected"] = context["expected"].replace(" or ", f" {words.gettext(OR)} ")
    try:
        problem = words.gettext(template).format(**context) if context else words.gettext(template)
    except (KeyError, IndexError):
        problem = words.gettext(INVALID)
    return f"{field_name(list(error.get('loc', ()))) or words.gettext(REQUEST)}: {problem}"


def validation_content(errors: list[dict[str, Any]], words: Translator) -> dict[str, Any]:
    """`detail`: every problem, translated; `field`: the first field; `errors`: each with its field."""
    listed: list[dict[str, str | None]] = [
        {
            "field": field_name(list(error.get("loc", ()))),
            "type": str(error.get("type")),
            "message": validation_message(error, words),
        }
        for error in errors
    ]
    return {
        "detail": "; ".join(str(item["message"]) for item in listed),
        "field": listed[0]["field"] if listed else None,
        "errors": listed,
    }


router = APIRouter(tags=["i18n"])


@router.get("/i18n/{lang}.json", include_in_schema=False)
def page_texts(lang: str) -> JSONResponse:
    """The pages' texts in one language, straight from the gettext catalogue."""
    if lang not in LANGUAGES:
        return JSONResponse(status_code=404, content={"detail": f"{lang}: not one of {LANGUAGES}"})
    return JSONResponse(translator(lang).pages(), headers={"Cache-Control": "no-cache"})
