"""QR codes as inline SVG (the qrcode package), for posters and notice-board sheets."""
import re

import qrcode
import qrcode.image.svg
from markupsafe import Markup, escape

# The printed size comes from the page's CSS, not from the SVG.
_SIZE = re.compile(r'^<svg width="[^"]*" height="[^"]*"')


def qr_svg(url: str, label: str) -> Markup:
    """`url` as a QR code: one SVG path, scaled by CSS, named for screen readers by `label`."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(url)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    return Markup(_SIZE.sub(Markup('<svg class="qr" role="img" aria-label="%s"') % escape(label), svg, count=1))
