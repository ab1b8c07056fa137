"""The contract draft: one document model, rendered as HTML and as PDF (reportlab).

The draft follows the structure of the country's standard agreement for cloud services (named in
catalog/procurement/contracts.yaml, never reproduced): the general terms apply by reference; the draft
fills in the parties, the service and plan, price, term, the procurement basis, the data processing
terms from the service's declarations and the security evidence. Norwegian buyers get a draft in
bokmål, Swedish buyers one in Swedish. Vendor text is untrusted: the HTML escapes everything and the
PDF escapes reportlab's paragraph mark-up.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from babel import Locale
from markupsafe import escape

from . import fmt
from .data import ProcurementData
from .route import Assessment, RouteOption

# EU member states and the three EEA EFTA states: personal data may flow freely among them (GDPR art. 1(3)
# and the EEA Agreement); anything else is a transfer under GDPR Chapter V.
EEA = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO".split())
LANG_BY_COUNTRY = {"NO": "nb", "SE": "sv"}


@dataclass
class Para:
    text: str
    style: str = "body"  # body | note | small


@dataclass
class Bullets:
    items: list[str]
    ordered: bool = False


@dataclass
class Table:
    rows: list[list[str]]
    header: list[str] | None = None
    key_value: bool = False
    widths: tuple[float, ...] | None = None  # fractions of the text width, for the PDF


@dataclass
class Section:
    title: str
    blocks: list = field(default_factory=list)


@dataclass
class ContractDraft:
    lang: str
    contract_id: str
    title: str
    status: str
    notes: list[str]
    meta: list[tuple[str, str]]
    sections: list[Section]
    subject: str


def country_name(code: str, lang: str) -> str:
    return Locale.parse(lang).territories.get(code, code)


def build_contract(assessment: Assessment, data: ProcurementData, option: RouteOption, contract_id: str,
                   issued: dt.date, award: dict | None = None) -> ContractDraft:
    a, est = assessment, assessment.estimate
    lang = LANG_BY_COUNTRY.get(a.country, "en")
    p = lambda key, **kw: data.phrase(key, lang).format(**kw)  # noqa: E731
    template = data.contract_template(a.country)
    buyer, service, plan, vendor = a.buyer, a.service, a.plan, a.service.vendor
    from .identifiers import participant

    b_scheme, b_id = participant(buyer.country, buyer.org_number)
    v_scheme, v_id = participant(vendor.country, vendor.org_number)
    money = lambda value, currency=est.currency: fmt.money(value, currency, lang)  # noqa: E731
    months = lambda n: p("months", n=n)  # noqa: E731
    unit_one = data.contracts["units_one"].get(est.unit, {}).get(lang, est.unit)
    unit_word = unit_one if est.quantity == 1 else data.contracts["units"].get(est.unit, {}).get(lang, est.unit)
    period = data.contracts["periods"][est.billing_period][lang]

    notes = [p("draft-note", date=fmt.day(issued, lang))]
    if not option.orders_now and award is None:
        notes.append(p("competition-note"))
    sections = []
    sections.append(Section(p("s-parties"), [Table(
        [[p("buyer"), buyer.name, buyer.org_number, f"{b_scheme}:{b_id}", country_name(buyer.country, lang)],
         [p("vendor"), vendor.legal_name, vendor.org_number, f"{v_scheme}:{v_id}", country_name(vendor.country, lang)]],
        header=["", "", p("org-number"), p("peppol-id"), p("country")], widths=(0.2, 0.27, 0.18, 0.21, 0.14))]))
    sections.append(Section(p("s-documents"), [
        Para(p("general-terms", template=template["name"], publisher=template["publisher"])),
        Para(p("precedence")),
        Para(f"{p('sources')}: {data.sources[template['source']].title} – {data.sources[template['source']].url}",
             "small")]))
    service_rows = [[p("service"), service.name(lang)], [p("vendor"), vendor.display_name],
                    [p("plan"), f"{plan.name(lang)} ({plan.id})"]]
    if plan.includes(lang):
        service_rows.append([p("includes"), plan.includes(lang)])
    service_rows.append([p("deployment"), ", ".join(service.deployment)])
    for key in ("documentation", "website"):
        if service.links.get(key):
            service_rows.append([p("documentation"), service.links[key]])
            break
    sections.append(Section(p("s-service"), [Table(service_rows, key_value=True)]))
    price_rows = [
        [p("unit-price"), p("price-line", price=money(est.unit_price), period=period, unit=unit_one)],
        [p("quantity"), f"{fmt.number(est.quantity, lang)} {unit_word}"],
        [p("firm-value"), money(est.firm_value)],
        [p("option-value"), money(est.option_value)],
        [p("total-value"), money(est.total_value)],
    ]
    sections.append(Section(p("s-price"), [
        Table(price_rows, key_value=True), Para(p("excl-vat")),
        Para(f"{p('invoicing')}: {p('einvoice-no' if a.country == 'NO' else 'einvoice-se')}")]))
    term_rows = [[p("start"), fmt.day(a.start, lang)], [p("end"), fmt.day(a.end, lang)],
                 [p("firm-months"), months(est.firm_months)],
                 [p("option-months"), months(est.option_months) if est.option_months else p("none")]]
    if plan.minimum_term_months:
        term_rows.append([p("minimum-term"), months(plan.minimum_term_months)])
    sections.append(Section(p("s-term"), [Table(term_rows, key_value=True)]))
    basis_rows = [[p("route"), p(f"route-{option.route}")],
                  [p("estimate"), fmt.money(est.comparison_value, est.threshold_currency, lang)]]
    if option.via:
        via_name = option.via["name"](lang)
        if option.via.get("notice"):
            via_name += f" – {option.via['notice']}"
        if option.via.get("sample"):
            via_name += f" ({p('sample')})"
        basis_rows.append([p("via"), via_name])
    if award:
        basis_rows.append([p("award"), f"{award['reference']} ({fmt.day(award['date'], lang)})"])
    citations = []
    for finding in [*a.context[:1], *option.findings]:
        for source in finding.sources(data):
            if source not in citations:
                citations.append(source)
    basis_rows.append([p("legal-basis"), "; ".join(citations)])
    sections.append(Section(p("s-basis"), [Table(basis_rows, key_value=True)]))
    dpa = [Para(p("dpa-intro")), Bullets([p(f"dpa-{c}") for c in "abcdefgh"], ordered=True),
           Table([[p("data-locations"), ", ".join(_location(code, lang) for code in service.data_locations)]],
                 key_value=True)]
    if service.sub_processors:
        rows = []
        for sp in service.sub_processors:
            where = country_name(sp.country, lang)
            if sp.country not in EEA:
                where += f" – {p('outside-eea')}"
            rows.append([sp.name, where, sp.purpose(lang)])
        dpa.append(Table(rows, header=[p("sub-processor-name"), p("country"), p("purpose")]))
    else:
        dpa.append(Para(p("no-sub-processors")))
    gdpr = next((c for c in service.compliance if c.regulation.id == "gdpr"), None)
    if gdpr and gdpr.evidence_url:
        dpa.append(Table([[p("dpa-declaration"), gdpr.evidence_url]], key_value=True))
    sections.append(Section(p("s-dpa"), dpa))
    security = [Para(p("security-intro"))]
    if service.compliance:
        security.append(Table([[c.regulation.name(lang), c.evidence_url or p("none"), c.issuer or "–",
                                fmt.day(c.expires, lang) if c.expires else "–"] for c in service.compliance],
                              header=[p("requirement"), p("evidence"), p("issuer"), p("valid-until")]))
    else:
        security.append(Para(p("no-claims")))
    sections.append(Section(p("s-security"), security))
    sections.append(Section(p("s-signatures"), [
        Para(p("signature-note")),
        Table([[p("for-buyer"), p("for-vendor")], [buyer.name, vendor.legal_name],
               [f"{p('date')}: ____________", f"{p('date')}: ____________"],
               [f"{p('name-title')}: ____________", f"{p('name-title')}: ____________"]])]))
    return ContractDraft(
        lang=lang, contract_id=contract_id, title=p("title"), status=p("draft"), notes=notes,
        meta=[(p("contract-id"), contract_id), (p("date"), fmt.day(issued, lang))], sections=sections,
        subject=f"{service.name(lang)} – {plan.name(lang)}: {buyer.name} / {vendor.legal_name}")


def _location(code: str, lang: str) -> str:
    if code == "EEA":
        return {"nb": "EØS", "sv": "EES"}.get(lang, "EEA")
    return country_name(code, lang)


# ---- HTML -------------------------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#1a1a1a}
h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
.status{display:inline-block;border:2px solid #a40000;color:#a40000;font-weight:700;padding:.1rem .5rem}
.note{background:#fff4e5;border-left:4px solid #b35c00;padding:.5rem .75rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f2f2f2}td.key{width:35%;font-weight:600}
.small{font-size:.9rem;color:#444}dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.meta dt{font-weight:600}@media print{.note{border:1px solid #b35c00}}
"""


def render_html(draft: ContractDraft) -> str:
    e = escape
    out = ["<!doctype html>", f'<html lang="{e(draft.lang)}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(draft.title)} – {e(draft.contract_id)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>",
           "<main>", f"<h1>{e(draft.title)}</h1>", f'<p class="status">{e(draft.status)}</p>',
           f"<p>{e(draft.subject)}</p>", '<dl class="meta">']
    for label, value in draft.meta:
        out.append(f"<dt>{e(label)}</dt><dd>{e(value)}</dd>")
    out.append("</dl>")
    for note in draft.notes:
        out.append(f'<p class="note">{e(note)}</p>')
    for section in draft.sections:
        out.append(f"<section><h2>{e(section.title)}</h2>")
        for block in section.blocks:
            out.append(_html_block(block))
        out.append("</section>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)


def _html_block(block) -> str:
    e = escape
    if isinstance(block, Para):
        cls = f' class="{block.style}"' if block.style != "body" else ""
        return f"<p{cls}>{e(block.text)}</p>"
    if isinstance(block, Bullets):
        tag = "ol" if block.ordered else "ul"
        attrs = ' type="a"' if block.ordered else ""
        return f"<{tag}{attrs}>" + "".join(f"<li>{e(i)}</li>" for i in block.items) + f"</{tag}>"
    rows = []
    if block.header and any(block.header):
        rows.append("<thead><tr>" + "".join(f'<th scope="col">{e(h)}</th>' for h in block.header) + "</tr></thead>")
    body = []
    for row in block.rows:
        if block.key_value:
            body.append(f'<tr><th scope="row" class="key">{e(row[0])}</th>'
                        + "".join(f"<td>{e(c)}</td>" for c in row[1:]) + "</tr>")
        else:
            body.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
    rows.append("<tbody>" + "".join(body) + "</tbody>")
    return "<table>" + "".join(rows) + "</table>"


# ---- PDF --------------------------------------------------------------------------------------------

@cache
def _fonts() -> tuple[str, str, object]:
    """Register Bitstream Vera, shipped with reportlab, so the PDF looks the same everywhere and its text
    (æøå, äö and the rest of Latin-1) is extractable. Returns (regular, bold, face)."""
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    folder = Path(reportlab.__file__).parent / "fonts"
    regular = TTFont("TW-Vera", str(folder / "Vera.ttf"))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont("TW-Vera-Bold", str(folder / "VeraBd.ttf")))
    pdfmetrics.registerFont(TTFont("TW-Vera-Italic", str(folder / "VeraIt.ttf")))
    pdfmetrics.registerFont(TTFont("TW-Vera-BoldItalic", str(folder / "VeraBI.ttf")))
    pdfmetrics.registerFontFamily("TW-Vera", normal="TW-Vera", bold="TW-Vera-Bold", italic="TW-Vera-Italic",
                                  boldItalic="TW-Vera-BoldItalic")
    return "TW-Vera", "TW-Vera-Bold", regular.face


def _pdf_text(value: str) -> str:
    """Escape reportlab mark-up and replace characters the font lacks (e.g. some Sámi letters) by their
    base letter, so nothing silently disappears from the PDF; the HTML keeps the original text."""
    _, _, face = _fonts()
    cmap = face.charToGlyph
    out = []
    for ch in value:
        if ord(ch) in cmap or ch in "\n\t":
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if ord(c) in cmap)
        out.append(base or "?")
    return xml_escape("".join(out))


def render_pdf(draft: ContractDraft) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    regular, bold, _ = _fonts()
    base = ParagraphStyle("tw-body", fontName=regular, fontSize=9.5, leading=13, alignment=TA_LEFT, spaceAfter=4)
    styles = {
        "title": ParagraphStyle("tw-title", parent=base, fontName=bold, fontSize=17, leading=21, spaceAfter=6),
        "h2": ParagraphStyle("tw-h2", parent=base, fontName=bold, fontSize=12, leading=15, spaceBefore=10,
                             spaceAfter=4),
        "body": base,
        "note": ParagraphStyle("tw-note", parent=base, backColor=colors.HexColor("#fff4e5"),
                               borderColor=colors.HexColor("#b35c00"), borderWidth=0.75, borderPadding=4,
                               spaceBefore=4, spaceAfter=8),
        "small": ParagraphStyle("tw-small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#444444")),
        "status": ParagraphStyle("tw-status", parent=base, fontName=bold, textColor=colors.HexColor("#a40000")),
        "cell": ParagraphStyle("tw-cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
        "cellkey": ParagraphStyle("tw-cellkey", parent=base, fontName=bold, fontSize=8.5, leading=11, spaceAfter=0),
    }
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"{draft.title} – {draft.contract_id}", author="Thingwalla",
                            subject=draft.subject, creator="Thingwalla (thingwalla procure documents)",
                            keywords=[draft.contract_id, draft.status], invariant=1, lang=draft.lang)
    width = doc.width
    story = [Paragraph(_pdf_text(draft.title), styles["title"]), Paragraph(_pdf_text(draft.status), styles["status"]),
             Paragraph(_pdf_text(draft.subject), base)]
    for label, value in draft.meta:
        story.append(Paragraph(f"<b>{_pdf_text(label)}:</b> {_pdf_text(value)}", base))
    for note in draft.notes:
        story.append(Paragraph(_pdf_text(note), styles["note"]))
    for section in draft.sections:
        flow = [Paragraph(_pdf_text(section.title), styles["h2"])]
        for block in section.blocks:
            if isinstance(block, Para):
                flow.append(Paragraph(_pdf_text(block.text), styles.get(block.style, base)))
            elif isinstance(block, Bullets):
                items = [ListItem(Paragraph(_pdf_text(i), base), leftIndent=14) for i in block.items]
                flow.append(ListFlowable(items, bulletType="a" if block.ordered else "bullet",
                                         bulletFontName=regular, bulletFontSize=9, leftIndent=14))
            else:
                rows = []
                if block.header and any(block.header):
                    rows.append([Paragraph(_pdf_text(h), styles["cellkey"]) for h in block.header])
                for row in block.rows:
                    rows.append([Paragraph(_pdf_text(c), styles["cellkey" if block.key_value and i == 0 else "cell"])
                                 for i, c in enumerate(row)])
                columns = len(block.rows[0])
                if block.widths:
                    widths = [width * w for w in block.widths]
                elif block.key_value and columns == 2:
                    widths = [width * 0.35, width * 0.65]
                else:
                    widths = [width / columns] * columns
                table = RLTable(rows, colWidths=widths, repeatRows=1 if block.header and any(block.header) else 0)
                table.setStyle(TableStyle([
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#bbbbbb")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0) if block.header and any(block.header) else (0, -1),
                     colors.HexColor("#f2f2f2") if block.header and any(block.header) else colors.white),
                ]))
                flow.append(table)
                flow.append(Spacer(1, 4))
        story.append(KeepTogether(flow[:2]) if len(flow) > 1 else flow[0])
        story.extend(flow[2:])

    def footer(canvas, document):
        canvas.saveState()
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(20 * mm, 10 * mm, _plain(f"{draft.contract_id} – {draft.status}"))
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, str(document.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _plain(value: str) -> str:
    _, _, face = _fonts()
    return "".join(ch if ord(ch) in face.charToGlyph else "?" for ch in value)
