"""What is stripped from every piece of text the service accepts (security.md
R23, cases 21 and 22): one definition, pure Python (the pure domain modules
use it too), applied to every posted value of every
form (`GovukForm`) and by `clean_text`, which every text field
(`core.fields.TextField`) and the pure domain modules clean with.

Stripped: control characters (C0 and C1, but tab, line feed and carriage return
stay, and a null stays for the form to refuse with a message) and invisible
format characters: bidirectional overrides and isolates, zero-width space and
non-joiner, word joiner, soft hyphen, byte order mark, and tag characters.

Kept: the zero-width joiner (U+200D) and variation selectors, which build emoji
(👩‍👧, ❤️), and the tag characters of a flag such as England's 🏴󠁧󠁢󠁥󠁮󠁧󠁿.
"""

import re
import unicodedata

KEPT = {"\t", "\n", "\r", "\x00", "\u200d"}
_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")


def _hidden(character: str) -> bool:
    return character not in KEPT and unicodedata.category(character) in ("Cc", "Cf")


def strip_hidden(text: str) -> str:
    """`text` without control and invisible format characters (see above)."""
    if text.isascii() and text.isprintable():
        return text  # the common case, at once
    kept, start = [], 0
    for flag in _FLAG_TAGS.finditer(text):
        kept.append(_strip(text[start : flag.start()]))
        kept.append(flag.group())
        start = flag.end()
    kept.append(_strip(text[start:]))
    return "".join(kept)


def _strip(text: str) -> str:
    return "".join(character for character in text if not _hidden(character))


class InvalidEntry(ValueError):
    """An entry that cannot be right; the message says why, for the user."""


def clean_text(raw: str) -> str:
    """NFC-normalise, drop hidden formatting characters (above: bidi overrides
    and zero-width characters hide what a name really says), collapse outer
    space."""
    text = strip_hidden(unicodedata.normalize("NFC", raw))
    if "\x00" in text:
        raise InvalidEntry("Remove the null character from the text")
    return text.strip()
