"""The live actor map's activity type ("portrait croisé").

Registered from the live map's ``setup``: entering the activity opens the
map on the phones and sets the projected view.
"""

from ..domain import livemap as livemap_rules
from ..domain.contracts import Choice
from ..domain.deroule import ActivityType, register_activity_type
from ..i18n import N_


def enter_map(ctx):
    from . import service

    st = service.get_settings(ctx.session, ctx.atelier)
    view = (ctx.activity.settings or {}).get("view", "stage")
    if st.open and st.view == view:
        return
    service.update_settings(ctx.session, ctx.atelier, open=True, view=view)
    if ctx.events is not None:
        from .events import _broadcast

        _broadcast(ctx.events, public=True)


def describe_map(ctx):
    from sqlalchemy import select

    from .models import LivemapSettings

    st = ctx.session.scalar(
        select(LivemapSettings).where(LivemapSettings.atelier_id == ctx.atelier.id)
    )
    return {"open": bool(st and st.open)}


def register() -> None:
    register_activity_type(
        ActivityType(
            key="map",
            label=N_("Carte des acteurs"),
            fields={"view": Choice(livemap_rules.VIEWS, default="stage")},
            phone_panel="livemap",
            scene="livemap",
            console_panel="livemap",
            main_control="#lm-actor-name",
            duration_min=30,
            enter=enter_map,
            describe=describe_map,
        ),
        replace=True,
    )
