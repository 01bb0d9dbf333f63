"""The written contract as a PDF (书面合同, 政府采购法 第四十四条; its contents as 政府购买服务
管理办法 第二十三条 lists them): parties, service content and quantity, quality standard,
term, price, payment schedule, performance-evaluation method and liabilities.

Always in Chinese (the contract's legal language): the headings are translated msgids
rendered under the ``zh`` locale, in ReportLab's built-in CID font STSong-Light (no font
file is shipped; PDF readers supply the glyphs). The output is deterministic
(``invariant``): the same contract gives the same bytes, so its SHA-256 identifies it.
"""
from __future__ import annotations

import hashlib
import io
from xml.sax.saxutils import escape

from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from market.clock import to_local
from market.contracts.models import Contract
from market.money import format_money

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
_TITLE = ParagraphStyle("title", parent=_BODY, fontSize=18, leading=26, alignment=1,
                        spaceAfter=4 * mm)
_HEADING = ParagraphStyle("heading", parent=_BODY, fontSize=12, leading=18,
                          spaceBefore=3 * mm, spaceAfter=1 * mm)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8.5, leading=12,
                        textColor=colors.HexColor("#444444"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _p(text, style=_BODY) -> Paragraph:
    """A paragraph of plain text (markup escaped, line breaks kept)."""
    return Paragraph(escape(str(text or "")).replace("\n", "<br/>"), style)


def _date(value) -> str:
    return value.isoformat() if value is not None else "—"


def render(contract: Contract) -> bytes:
    """The contract's PDF bytes (starts with ``%PDF``)."""
    with force_locale("zh"):
        return _render(contract)


def _render(contract: Contract) -> bytes:
    org, dept, tender = contract.organization, contract.department, contract.tender
    story = [_p(_("Government Purchase of Services Contract"), _TITLE),
             _p(_("Contract number: %(number)s", number=contract.number)),
             _p(_("Tender: %(reference)s %(title)s", reference=tender.reference,
                  title=tender.title)),
             Spacer(1, 3 * mm)]

    def section(n: int, heading: str, *body) -> None:
        story.append(_p(f"{n}. {heading}", _HEADING))
        story.extend(body)

    section(1, _("Parties"),
            _p(_("Purchaser (Party A): %(name)s", name=dept.name_zh)),
            _p(_("Provider (Party B): %(name)s; unified social credit code: %(code)s; legal "
                 "representative: %(rep)s; address: %(address)s", name=org.name,
                 code=org.credit_code or "—", rep=org.legal_representative,
                 address=org.office_address)))
    section(2, _("Service content and quantity"), _p(contract.service_content),
            _p(_("Quantity: %(quantity)s", quantity=contract.service_quantity or "—")))
    section(3, _("Quality standard"), _p(contract.quality_standard))
    term = [_p(_("From %(start)s to %(end)s.", start=_date(contract.term_start),
                 end=_date(contract.term_end)))]
    if contract.long_term_reason:
        term.append(_p(_("A term over one year: the purchaser marked this service as "
                         "meeting the conditions (stable content, continuity, secured "
                         "funding, stable prices): %(reason)s",
                         reason=contract.long_term_reason)))
    section(4, _("Term"), *term)
    section(5, _("Price"), _p(_("The contract price is %(amount)s, fixed for the term.",
                                amount=format_money(contract.amount))))
    rows = [[_p(h, _SMALL) for h in ("#", _("Milestone"), _("Share"), _("Amount (yuan)"),
                                     _("Due date"), _("Needs an evaluation"))]]
    for m in contract.milestones:
        rows.append([_p(m.number, _SMALL), _p(m.title, _SMALL), _p(f"{m.percent} %", _SMALL),
                     _p(format_money(m.amount, unit=False), _SMALL), _p(_date(m.due_date), _SMALL),
                     _p(_("yes") if m.needs_evaluation else _("no"), _SMALL)])
    table = Table(rows, colWidths=[10 * mm, 55 * mm, 18 * mm, 32 * mm, 25 * mm, 25 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    section(6, _("Payment schedule"),
            _p(_("Each payment follows the purchaser's acceptance of the milestone's "
                 "deliverables; a milestone that needs an evaluation is paid only after a "
                 "passing third-party performance evaluation.")), table)
    section(7, _("Performance evaluation method"), _p(contract.evaluation_method))
    section(8, _("Liabilities for breach"), _p(contract.liabilities))
    section(9, _("Signing and entry into force"),
            _p(_("Signed by the purchaser on the platform on %(date)s.",
                 date=to_local(contract.signed_at).strftime("%Y-%m-%d"))),
            _p(_("This contract takes effect when the provider accepts (countersigns) it on "
                 "the platform; the acceptance records the SHA-256 of this file. It is "
                 "published on the platform's public contract page when it takes effect.")))
    story += [Spacer(1, 4 * mm),
              _p(_("Legal basis: Government Procurement Law, art. 43–47; Regulations for its "
                   "Implementation, art. 49–50; Measures for the Administration of Government "
                   "Purchase of Services (MOF Order No. 102), art. 23–24."), _SMALL)]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, invariant=1, leftMargin=20 * mm, rightMargin=20 * mm,
        topMargin=20 * mm, bottomMargin=20 * mm,
        title=contract.number, subject=contract.number, author="gongyi-market",
        creator="gongyi-market")
    doc.build(story)
    return buffer.getvalue()
