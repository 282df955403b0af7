"""Which capabilities the phone and projection pages load up front."""

from workshop.capabilities import used_by


def _used(app, atelier_id):
    from workshop.models import Atelier

    caps = app.extensions["workshop_capabilities"]
    with app.extensions["workshop_db"].session(write=False) as s:
        return used_by(s, s.get(Atelier, atelier_id), caps)


def test_only_the_capabilities_the_atelier_uses(app):
    from workshop.ateliers import service as ateliers
    from workshop.board import service as board
    from workshop.deroule.models import DerouleActivity
    from workshop.livemap import service as livemap

    db = app.extensions["workshop_db"]
    caps = app.extensions["workshop_capabilities"]
    always = {c.name for c in caps if not c.lazy}
    assert {"deroule", "ateliers"} <= always
    assert {"board", "cloud", "poll", "codev", "livemap"} == {c.name for c in caps if c.lazy}
    with db.session() as s:
        atelier, _ = ateliers.create_atelier(s, {"title": "Une question"})
        aid = atelier.id
    assert _used(app, aid) == always

    with db.session() as s:
        atelier = s.get(type(atelier), aid)
        board.create_prompt(s, atelier, text="Vos besoins ?")
        livemap.get_settings(s, atelier)  # a closed map with nothing on it
    assert _used(app, aid) == always | {"board"}

    # a déroulé activity brings its capability in, before anything of it exists
    with db.session() as s:
        s.add(DerouleActivity(atelier_id=aid, type="cloud", title="Nuage", position=1))
        s.add(DerouleActivity(atelier_id=aid, type="codev", title="Codev", position=2))
    assert _used(app, aid) == always | {"board", "cloud", "codev"}

    with db.session() as s:
        livemap.get_settings(s, s.get(type(atelier), aid)).open = True
    assert _used(app, aid) == always | {"board", "cloud", "codev", "livemap"}
