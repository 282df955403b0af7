"""The « Accessibilité » page: the accessibility statement (RGAA 4.1).

Linked from every page's footer (``base.html``). The operator of an instance
adopts it by setting ``WORKSHOP_ACCESSIBILITY_ENTITY`` (who makes the
statement) and ``WORKSHOP_ACCESSIBILITY_CONTACT`` (an e-mail address or a web
address for feedback); see the README.
"""

from ..capabilities import Capability
from .views import bp

CAPABILITY = Capability(name="a11y", blueprint=bp)
