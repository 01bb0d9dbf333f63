"""What a hostile or careless client sends: values, uploads and JSON bodies as hypothesis
strategies, and the POST forms of a page (to know what there is to send)."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser

from hypothesis import strategies as st

SCRIPT = "<script>fz(1)</script>"  # looked for, unescaped, on the page after a write
SCRIPT_MARKERS = ("<script>fz(", "<img src=x onerror=fz(", "<svg onload=fz(")

HUGE_NUMBERS = ["2147483648", "9223372036854775808", "1" + "0" * 40, "-1", "-2147483649",
                "0", "1e30", "1E+30", "-1e30", "1e-30", "NaN", "Infinity", "-0", "0x10",
                "١٢٣", "１２３", "²", "1_000", " 7 ", "9" * 5000]
AMOUNTS = ["1e30", "1E+30", "-1e30", "NaN", "inf", "9" * 40, "0.001", "1,0000", "¥-0",
           "８００００．００", "99999999999999999.99", "0", "-0.00", "1e5", "12.3.4"]
DATES = ["0001-01-01", "9999-12-31", "20266-01-01", "2026-02-30", "1899-12-31",
         "2101-01-01", "2026-13-01", "9999-12-31T23:59", "0001-01-01T00:00", "2026-01-01T25:00",
         "yesterday"]
TEXTS = [
    "\x00", "a\x00b", SCRIPT, f"\"><{SCRIPT[1:]}", "<img src=x onerror=fz(2)>",
    "<svg onload=fz(3)>", "{{ 7*7 }}", "{% raw %}", "'; DROP TABLE users; --", "' OR '1'='1",
    "1; SELECT pg_sleep(5)", "%s%s%s%n", "../../../../etc/passwd", "..\\..\\windows\\win.ini",
    "\u202eevil\u202c", "\u200b\u200d\ufeff", "e\u0301" * 200, "𝕏🏳️‍🌈👩‍👩‍👧", "\r\n\r\nX-Injected: 1",
    "=HYPERLINK(\"http://evil\")", "a" * 100_000, "", " ", "\t", "null", "[]", "{}",
    "\U0010ffff", "\x7f\x1b[31m", "中" * 5000,
]

FILE_NAMES = ["../../../../tmp/fz-traversal.pdf", "..\\..\\fz.pdf", "/etc/passwd",
              "fz\x00.pdf", "a" * 500 + ".pdf", "报告.pdf", ".pdf", "fz.pdf.exe", "CON.pdf",
              "<script>fz(4)</script>.pdf", "fz .pdf", ""]


def _zip_bomb() -> bytes:
    """A small zip that inflates to 50 MB of zeros (never inflated by the platform)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("zeros.bin", b"\0" * 50_000_000)
    return buffer.getvalue()


PDF_HEAD = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
FILE_BODIES = {
    "zip-bomb": _zip_bomb(),
    "pdf+zip polyglot": PDF_HEAD + _zip_bomb(),
    "gif+js polyglot": b"GIF89a/*\x00\x00*/=0;fz(5)//" + b"\0" * 64,
    "pdf+html polyglot": PDF_HEAD + b"<html><script>fz(6)</script></html>\n%%EOF",
    "html as pdf": b"<html><script>fz(7)</script></html>",
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200,
    "empty": b"",
    "svg with script": b"<svg xmlns='http://www.w3.org/2000/svg'><script>fz(8)</script></svg>",
    "truncated pdf": b"%PDF-",
}


def hostile_value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TEXTS), st.sampled_from(HUGE_NUMBERS), st.sampled_from(AMOUNTS),
        st.sampled_from(DATES),
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
        st.text(alphabet="0123456789.,-+eE ", min_size=1, max_size=25),
    )


def hostile_upload() -> st.SearchStrategy[tuple[str, bytes]]:
    return st.tuples(st.sampled_from(FILE_NAMES), st.sampled_from(sorted(FILE_BODIES)))


# --- JSON ---------------------------------------------------------------------------------

json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(TEXTS + HUGE_NUMBERS + AMOUNTS + DATES),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20))
json_value = st.recursive(
    json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                         st.dictionaries(st.text(max_size=8), inner,
                                                         max_size=4)),
    max_leaves=12)

# Bodies no JSON library would write.
RAW_BODIES = [
    b"", b"null", b"[]", b"\"text\"", b"5", b"{", b"{\"price\": }", b"{'price': '1'}",
    b"[" * 50_000 + b"]" * 50_000, b"{\"a\":" * 40 + b"1" + b"}" * 40,
    b"{\"price\": 1e999999, \"proposal\": \"x\"}", b"{\"price\": NaN, \"proposal\": \"x\"}",
    b"{\"price\": -Infinity}", b"{\"price\": " + b"9" * 5000 + b"}",
    b"\xef\xbb\xbf{\"question\": \"bom\"}", b"{\"question\": \"\\u0000\"}",
    b"{\"question\": \"\\ud800\"}", b"{\"question\": \"\xff\xfe\"}",
    b"{\"question\": \"a\", \"question\": [1]}", b"\x00\x00\x00{",
]


def json_body(fields: list[str]) -> st.SearchStrategy[bytes | object]:
    """A body for an endpoint reading ``fields``: a dict of its fields (each of any JSON
    type or a hostile value), any JSON value, or a raw body."""
    known = st.fixed_dictionaries({}, optional={f: st.one_of(json_value, json_scalar)
                                               for f in fields})
    return st.one_of(known, json_value, st.sampled_from(RAW_BODIES))


# --- the POST forms of a page -------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: list[tuple[str, str]]  # name, default value (a name may repeat)
    files: list[str]  # names of file inputs

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(n for n, _v in self.fields))


class _Forms(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str], list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = Form(a.get("action") or self.page_url.split("?")[0], [], [])
            return
        if self._form is None:
            return
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self._form.files.append(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((a["name"], a.get("value", "on")))
                elif not any(n == a["name"] for n, _v in self._form.fields):
                    self._form.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("button", "image", "reset"):
                self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("name"):
            self._form.fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            name, options, selected = self._select
            chosen = (selected or [o for o in options if o] or options)[:1]
            self._form.fields += [(name, v) for v in chosen] or [(name, "")]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form.fields.append((self._textarea[0], "".join(self._textarea[1]).strip()))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def post_forms(html: str, page_url: str) -> list[Form]:
    parser = _Forms(page_url)
    parser.feed(html)
    return parser.forms
