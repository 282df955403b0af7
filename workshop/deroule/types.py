"""The déroulé's own activity types: welcome screen, message slide, close."""

from ..domain.contracts import Str
from ..domain.deroule import ActivityType, register_activity_type
from ..i18n import N_


def register() -> None:
    register_activity_type(
        ActivityType(
            key="welcome",
            label=N_("Accueil (rejoindre)"),
            fields={"text": Str(500, default="")},
            phone_panel="deroule",
            scene="home",
            main_control="#deroule-phone-title",
            duration_min=10,
        ),
        replace=True,
    )
    register_activity_type(
        ActivityType(
            key="message",
            label=N_("Message (titre et texte)"),
            fields={"text": Str(2000, default="")},
            phone_panel="deroule",
            scene="message",
            main_control="#deroule-phone-title",
            duration_min=15,
        ),
        replace=True,
    )
    register_activity_type(
        ActivityType(
            key="close",
            label=N_("Clôture"),
            fields={"text": Str(1000, default="")},
            phone_panel="deroule",
            scene="close",
            main_control="#deroule-phone-title",
            duration_min=5,
        ),
        replace=True,
    )
