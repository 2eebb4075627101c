"""Run and paragraph properties of the briefing's .docx, written as WordprocessingML wants them.

No Django here. python-docx covers the common properties; the official layout needs more
(East Asian fonts, character spacing, grid snapping, borders, outline levels), set here in the
schema's order, since Word refuses a document whose properties are out of it.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike",
    "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid",
    "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs",
    "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs",
    "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath",
)


def element(tag: str, **attrs):
    """A new ``w:`` element with ``w:`` attributes."""
    new = OxmlElement(tag)
    for key, value in attrs.items():
        new.set(qn(f"w:{key}"), str(value))
    return new


def put(parent, tag: str, **attrs):
    """``parent``'s child ``tag``, new (an old one is replaced), at its place in the schema's order."""
    order = PPR_ORDER if parent.tag == qn("w:pPr") else RPR_ORDER
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    new = element(tag, **attrs)
    parent.insert_element_before(new, *order[order.index(tag) + 1:])
    return new


def fonts(rpr, face, size_pt: float, *, color: str | None = None) -> None:
    """The font in every slot (Chinese text is drawn with the East Asian one), size and colour.
    No theme attribute is left: a theme font would win over the name."""
    put(rpr, "w:rFonts", **{slot: face.name for slot in ("ascii", "eastAsia", "hAnsi", "cs")})
    if color:
        put(rpr, "w:color", val=color)
    put(rpr, "w:sz", val=round(size_pt * 2))
    put(rpr, "w:szCs", val=round(size_pt * 2))


def spacing(ppr, *, exact: int | None) -> None:
    """No space around paragraphs; an exact line height, or single spacing when ``exact`` is None."""
    if exact is None:
        put(ppr, "w:spacing", before=0, after=0, line=240, lineRule="auto")
    else:
        put(ppr, "w:spacing", before=0, after=0, line=exact, lineRule="exact")


def no_grid(p, *, line: int | None) -> None:
    """Off the character grid (a large or small font would take whole grid cells), own line height."""
    ppr = p._p.get_or_add_pPr()
    put(ppr, "w:snapToGrid", val=0)
    spacing(ppr, exact=line)
