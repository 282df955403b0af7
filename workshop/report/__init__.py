"""The compte rendu: after the session, one action on the console writes the
atelier's report (post-its, codev summaries, actor map) as Markdown, HTML,
PDF and DOCX."""

from ..capabilities import Capability
from ..i18n import N_
from ..messages import register_messages
from .views import bp

register_messages(
    {
        "report_format": N_("Format de compte rendu inconnu : md, html, pdf, docx ou zip."),
    }
)

CAPABILITY = Capability(
    name="report",
    blueprint=bp,
    console_template="report/console.html",
)
