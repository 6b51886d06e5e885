"""Words for people outside the pages (CLI, API answers), from the pages' own texts, Turkish first.

The pages' texts (`api/page_messages.py`, translated in the gettext catalogues, served as `/i18n/{lang}.json`)
hold every such sentence with `{name}` placeholders, exactly as the pages' `t(key, params)` reads them, so
the CLI, the API and the pages word an answer the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from api.i18n import LANGUAGES, translator
from projections.why import Finding

PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Parameters whose values are codes with their own catalogue entries (prefix per parameter).
CODED = {"programme": "programme", "round": "round"}
REASON_PREFIXES = ("failure", "reason")


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(lang: str) -> dict[str, str]:
    return translator(lang if lang in LANGUAGES else "tr").pages()


def say(key: str, lang: str = "tr", **params: str) -> str:
    """The sentence for `key` with its placeholders filled; the key itself when the catalogue lacks it."""
    text = catalogue(lang).get(key, key)
    return PLACEHOLDER.sub(lambda m: params.get(m.group(1), m.group(0)), text)


def label(prefix: str, code: str, lang: str = "tr") -> str:
    """A code's label (`programme.milk` → "Süt Kuzusu"), or the code when there is none."""
    return catalogue(lang).get(f"{prefix}.{code}", code)


def finding_text(finding: Finding, lang: str = "tr") -> str:
    """One step of a "why not served" answer as a sentence, codes in its parameters translated."""
    params = dict(finding.params)
    for name, prefix in CODED.items():
        if params.get(name):
            params[name] = label(prefix, params[name], lang)
    if params.get("reason"):
        words = catalogue(lang)
        code = params["reason"]
        params["reason"] = next(
            (words[f"{p}.{code}"] for p in REASON_PREFIXES if f"{p}.{code}" in words), code
        )
    sentence = say(f"why.{finding.code}", lang, **params)
    if finding.programme:
        return f"{label('programme', finding.programme, lang)}: {sentence}"
    return sentence
