"""HTTP routes of the three surfaces and the JSON API (thin glue)."""

import io

import segno
from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from ..domain.codes import normalise_code
from ..domain.errors import DomainError, http_status
from ..i18n import LANGUAGES
from ..messages import message_for
from ..web import (
    api_errors,
    check_csrf,
    create_limiter,
    friendly_error,
    join_limiter,
    public_base_url,
    rate_limited,
    require_json,
)
from . import service


def used_capabilities(s, atelier) -> set[str]:
    """The capabilities the atelier's phone page loads up front; the page
    fetches the others when they come into use (static/js/live.js)."""
    from flask import current_app

    from ..capabilities import used_by

    return used_by(s, atelier, current_app.extensions["workshop_capabilities"])


bp = Blueprint("ateliers", __name__)


def db():
    return current_app.extensions["workshop_db"]


def links_for(atelier, secret: str | None = None) -> dict:
    base = public_base_url()
    links = {
        "join_url": f"{base}/j/{atelier.code}",
        "projection_url": f"{base}{url_for('ateliers.projection', code=atelier.code)}",
        "participant_url": f"{base}{url_for('ateliers.participant', code=atelier.code)}",
    }
    if secret:
        links["console_url"] = (
            f"{base}{url_for('ateliers.console', code=atelier.code, secret=secret)}"
        )
    return links


def facilitator_atelier(s, code, secret):
    """The atelier if ``secret`` is its console secret, else DomainError."""
    atelier = service.find_atelier(s, code)
    if atelier is None or not service.check_console_secret(atelier, secret):
        raise DomainError("bad_secret")
    return atelier


def _check_instance_password(data) -> None:
    expected = current_app.config.get("INSTANCE_PASSWORD")
    if expected:
        import hmac

        given = data.get("instance_password") or ""
        if not isinstance(given, str) or not hmac.compare_digest(given.encode(), expected.encode()):
            raise DomainError("instance_password")


# ---------------------------------------------------------------- pages


@bp.get("/")
def home():
    return render_template(
        "home.html",
        needs_password=bool(current_app.config.get("INSTANCE_PASSWORD")),
        form={},
        error=None,
    )


def _old_date_warning(form) -> str | None:
    """The sentence the creation form shows before creating an atelier whose
    date is so far back that the purge deletes it within a month (or at once),
    unless the facilitator confirmed (``confirm_old_date``)."""
    import datetime as dt

    from flask_babel import format_date, gettext

    from ..gdpr.retention import days_left, purge_date, should_warn

    if form.get("confirm_old_date"):
        return None
    try:
        day = dt.date.fromisoformat(form.get("date") or "")
    except ValueError:
        return None  # the service refuses bad dates with its own message
    months = current_app.config.get("RETENTION_MONTHS", 12)
    today = dt.date.today()
    if not should_warn(day, months, today):
        return None
    if days_left(day, months, today) <= 0:
        return gettext(
            "Avec cette date, l’atelier serait supprimé dès la prochaine purge "
            "(les données sont gardées %(months)s mois après la date de l’atelier). "
            "Vérifiez la date, ou cochez la case ci-dessous pour créer l’atelier quand même.",
            months=months,
        )
    return gettext(
        "Avec cette date, l’atelier et ses données seront supprimés le %(day)s "
        "(%(months)s mois après la date de l’atelier). Vérifiez la date, ou cochez la "
        "case ci-dessous pour créer l’atelier quand même.",
        day=format_date(purge_date(day, months), "long"),
        months=months,
    )


@bp.post("/ateliers")
def create():
    form = request.form.to_dict()
    warning = _old_date_warning(form)
    if warning:
        return render_template(
            "home.html",
            needs_password=bool(current_app.config.get("INSTANCE_PASSWORD")),
            form={**form, "allow_anonymous": "allow_anonymous" in request.form},
            date_warning=warning,
        )
    try:
        check_csrf()
        if rate_limited(create_limiter):
            raise DomainError("rate_limited")
        _check_instance_password(form)
        form["allow_anonymous"] = "allow_anonymous" in request.form
        with db().session() as s:
            atelier, secret = service.create_atelier(s, form)
            code = atelier.code
    except DomainError as err:
        return (
            render_template(
                "home.html",
                needs_password=bool(current_app.config.get("INSTANCE_PASSWORD")),
                form=form,
                error=message_for(err.code, err.params),
            ),
            http_status(err.code),
        )
    return redirect(url_for("ateliers.console", code=code, secret=secret, new=1))


@bp.get("/j")
def join_by_code():
    code = normalise_code(request.args.get("code", ""))
    if not code:
        return redirect(url_for("ateliers.home"))
    return redirect(url_for("ateliers.join", code=code))


@bp.get("/j/<code>")
def join(code):
    with db().session() as s:
        atelier = service.find_atelier(s, code)
        if atelier is None:
            return friendly_error("atelier_not_found", 404)
        g.atelier_locale = atelier.locale
        if atelier.status == "closed":
            return friendly_error("atelier_closed", 410)
        return render_template("join.html", atelier=atelier)


@bp.get("/a/<code>/p")
def participant(code):
    with db().session() as s:
        atelier = service.find_atelier(s, code)
        if atelier is None:
            return friendly_error("atelier_not_found", 404)
        g.atelier_locale = atelier.locale
        return render_template(
            "participant.html", atelier=atelier, loaded_caps=used_capabilities(s, atelier)
        )


@bp.get("/a/<code>/projection")
def projection(code):
    with db().session() as s:
        atelier = service.find_atelier(s, code)
        if atelier is None:
            return friendly_error("atelier_not_found", 404)
        g.atelier_locale = atelier.locale
        base = public_base_url()
        return render_template(
            "projection.html",
            atelier=atelier,
            short_join_url=f"{base.split('://', 1)[1]}/j",
            join_url=f"{base}/j/{atelier.code}",
            loaded_caps=used_capabilities(s, atelier),
        )


@bp.get("/a/<code>/console/<secret>")
def console(code, secret):
    with db().session() as s:
        atelier = service.find_atelier(s, code)
        if atelier is None or not service.check_console_secret(atelier, secret):
            return friendly_error("bad_secret", 403)
        g.atelier_locale = atelier.locale
        return render_template(
            "console.html",
            atelier=atelier,
            secret=secret,
            links=links_for(atelier, secret),
            is_new=request.args.get("new") == "1",
        )


@bp.get("/a/<code>/qr.svg")
def qr(code):
    with db().session() as s:
        atelier = service.find_atelier(s, code)
        if atelier is None:
            return friendly_error("atelier_not_found", 404)
        url = f"{public_base_url()}/j/{atelier.code}"
    qrcode = segno.make(url, error="m")
    buffer = io.BytesIO()
    qrcode.save(
        buffer,
        kind="svg",
        scale=10,
        border=2,
        dark="#000",
        light="#fff",
        xmldecl=False,
        svgns=True,
        omitsize=True,
        title=url,
    )
    return Response(
        buffer.getvalue(),
        mimetype="image/svg+xml",
        headers={"Cache-Control": "no-cache"},
    )


@bp.get("/lang/<locale>")
def set_language(locale):
    target = request.args.get("next") or url_for("ateliers.home")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("ateliers.home")
    response = redirect(target)
    if locale in LANGUAGES:
        response.set_cookie("lang", locale, max_age=365 * 24 * 3600, samesite="Lax")
    return response


@bp.get("/healthz")
def healthz():
    from sqlalchemy import text

    from ..extensions import ASYNC_MODE

    with db().session() as s:
        s.execute(text("SELECT 1"))
    return jsonify({"ok": True, "mode": ASYNC_MODE})


# ---------------------------------------------------------------- JSON API


@bp.post("/api/ateliers")
@api_errors
def api_create():
    data = require_json()
    if rate_limited(create_limiter):
        raise DomainError("rate_limited")
    _check_instance_password(data)
    with db().session() as s:
        atelier, secret = service.create_atelier(s, data)
        body = {
            "ok": True,
            "atelier": atelier.public_dict(),
            "code": atelier.code,
            "secret": secret,
            **links_for(atelier, secret),
        }
    return jsonify(body), 201


@bp.get("/api/ateliers/<code>")
@api_errors
def api_get(code):
    with db().session() as s:
        atelier = service.get_atelier(s, code)
        return jsonify({"ok": True, "atelier": atelier.public_dict(), **links_for(atelier)})


@bp.post("/api/ateliers/<code>/participants")
@api_errors
def api_join(code):
    data = require_json()
    if rate_limited(join_limiter):
        raise DomainError("rate_limited")
    with db().session() as s:
        atelier = service.get_atelier(s, code)
        participant, token = service.join(s, atelier, data.get("name"))
        body = {
            "ok": True,
            "token": token,
            "participant": participant.public_dict(),
            "atelier": atelier.public_dict(),
        }
    from .events import participant_joined

    participant_joined(atelier.id, body["participant"])
    return jsonify(body), 201
