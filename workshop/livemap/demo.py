"""The demo atelier's live map: the Mulhouse actors, contributions, links and
project sheets, validated. Loading it again changes nothing."""

import maps

from ..paths import DEMO_DATA_DIR
from . import service
from .models import LivemapActor


def load_demo(session, atelier) -> None:
    from sqlalchemy import func, select

    has_any = session.scalar(
        select(func.count(LivemapActor.id)).where(LivemapActor.atelier_id == atelier.id)
    )
    if has_any:
        return
    m = maps.read_map(DEMO_DATA_DIR)
    service.import_map(session, atelier, m)
    st = service.get_settings(session, atelier)
    st.open = True
