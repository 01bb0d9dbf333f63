"""Every user-facing string has a Simplified Chinese translation."""
from __future__ import annotations

from babel.messages.pofile import read_po

from market.i18n import CATALOG_PARTS, ROOT, TRANSLATIONS, extract_messages


def _translations() -> dict[str, str]:
    merged: dict[str, str] = {}
    for po in TRANSLATIONS.glob("*/zh/LC_MESSAGES/messages.po"):
        with po.open("rb") as f:
            for message in read_po(f, locale="zh"):
                if message.id and message.string:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    merged[key] = message.string if isinstance(message.string, str) \
                        else message.string[0]
    return merged


def test_every_source_folder_belongs_to_a_catalog_part():
    covered = {p for paths in CATALOG_PARTS.values() for p in paths}
    feature_dirs = [p for p in (ROOT / "market").iterdir()
                    if p.is_dir() and not p.name.startswith("__")]
    template_dirs = [p for p in (ROOT / "templates").iterdir() if p.is_dir()]
    for path in feature_dirs + template_dirs:
        rel = str(path.relative_to(ROOT))
        if extract_messages([rel]):
            assert rel in covered, f"{rel} has UI strings but no catalog part"


def test_every_message_has_a_chinese_translation():
    translated = _translations()
    everything = extract_messages(["market", "templates"])
    missing = {msgid: sources[0] for msgid, sources in everything.items()
               if msgid not in translated}
    assert missing == {}


def test_no_message_is_translated_two_ways():
    """Catalog parts are merged in an arbitrary order, so one msgid must mean one thing."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po in sorted(TRANSLATIONS.glob("*/zh/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            for message in read_po(f, locale="zh"):
                if not message.id or not message.string or not isinstance(message.id, str):
                    continue
                part = po.parts[-4]
                if message.id in seen and seen[message.id][1] != message.string:
                    clashes.append((message.id, seen[message.id], (part, message.string)))
                seen.setdefault(message.id, (part, message.string))
    assert clashes == []
