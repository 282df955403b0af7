"""Co-développement: method templates, roles, the rules of each step, the timer.

Plain Python: no Flask, no Socket.IO, no database. The service layer loads a
group's state into a :class:`Timer` and calls :func:`check_action` before
storing anything, so that the rules hold whatever the client shows.

A template is a list of steps; each step says which role may do which action
(``allows``). The five-step method of the regional day is the default:

>>> [s.key for s in TEMPLATES["cinq_etapes"].steps]
['sujet', 'presentation', 'clarification', 'reactions', 'feedback']
>>> check_action("cinq_etapes", 2, "contributeur", "question")
>>> check_action("cinq_etapes", 3, "porteur", "proposal")
Traceback (most recent call last):
...
workshop.domain.errors.DomainError: codev_porteur_listens

Timers are server-authoritative and stored as absolute epoch milliseconds:

>>> t = Timer.new([60_000, 120_000])
>>> t = t.start(now=1_000)
>>> t.remaining(now=11_000), t.running
(50000, True)
>>> t = t.pause(now=11_000).resume(now=99_000)
>>> t.deadline_ms
149000
"""

from dataclasses import dataclass, field, replace

from .errors import DomainError
from .text import clean_text


def N_(message: str) -> str:
    """Mark a French string for the catalogues (translated when shown)."""
    return message


ROLES = ("porteur", "contributeur", "animateur", "secretaire")
# Roles a group has at most one of.
SINGLE_ROLES = ("porteur", "animateur", "secretaire")
ACTIONS = (
    "subject",
    "contract",
    "question",
    "answer",
    "proposal",
    "retain",
    "action_plan",
    "note",
    "learning",
)
# Actions that add an item to the group (the others set a text of the group or item).
ITEM_ACTIONS = ("question", "proposal", "note", "learning")
GROUP_TEXT_ACTIONS = ("subject", "contract", "action_plan")

STATUSES = ("setup", "running", "finished")
COLOURS = {
    "bleu": "#1f6feb",
    "rouge": "#d1242f",
    "jaune": "#d4a72c",
    "vert": "#2da44e",
    "violet": "#8250df",
    "orange": "#e16f24",
    "rose": "#bf3989",
    "gris": "#6e7781",
}

GROUP_MIN_ADVISED = 5
GROUP_MAX_ADVISED = 10
DEFAULT_MAX_MEMBERS = 12
MAX_MEMBERS_LIMIT = 30
MIN_MEMBERS_LIMIT = 2

NAME_MAX = 60
ROOM_MAX = 60
TEXT_MAX = {
    "subject": 1000,
    "contract": 1000,
    "question": 500,
    "answer": 1000,
    "proposal": 500,
    "action_plan": 2000,
    "note": 1000,
    "learning": 500,
}
STEP_MIN_MS = 60_000
STEP_MAX_MS = 120 * 60_000
EXTEND_MINUTES = (1, 5)
TIMER_ACTIONS = ("start", "pause", "resume", "extend", "next", "prev")

EVERYONE = ROLES


@dataclass(frozen=True)
class Step:
    key: str
    name: str
    instruction: str
    minutes: int
    # action -> roles allowed to do it at this step
    allows: dict = field(default_factory=dict)
    # the porteur listens without posting at this step
    porteur_listens: bool = False

    def roles_for(self, action: str) -> tuple:
        if action == "note":
            return ("secretaire",)
        return self.allows.get(action, ())

    def public_dict(self) -> dict:
        allows = {a: list(self.roles_for(a)) for a in ACTIONS if self.roles_for(a)}
        return {
            "key": self.key,
            "name": self.name,
            "instruction": self.instruction,
            "minutes": self.minutes,
            "allows": allows,
            "porteur_listens": self.porteur_listens,
        }


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    description: str
    steps: tuple

    def default_durations_ms(self) -> list[int]:
        return [s.minutes * 60_000 for s in self.steps]

    def public_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "description": self.description,
            "steps": [s.public_dict() for s in self.steps],
        }


P, C = ("porteur",), ("contributeur",)

TEMPLATES = {
    t.key: t
    for t in (
        Template(
            "cinq_etapes",
            N_("Co-développement en 5 étapes"),
            N_(
                "La méthode de la journée régionale : sujet, présentation, clarification, "
                "réactions, feedback (environ 1 h)."
            ),
            (
                Step(
                    "sujet",
                    N_("Identifier le sujet"),
                    N_("La personne qui porte le sujet le définit et l’écrit pour le groupe."),
                    5,
                    {"subject": P},
                ),
                Step(
                    "presentation",
                    N_("Présentation du sujet"),
                    N_(
                        "La personne qui porte le sujet présente sa situation. Les autres écoutent sans interrompre."
                    ),
                    10,
                    {"subject": P},
                ),
                Step(
                    "clarification",
                    N_("Clarification"),
                    N_(
                        "Les contributeurs et contributrices posent des questions pour comprendre : des "
                        "questions d’information, pas encore de conseils. La personne qui porte le sujet "
                        "y répond."
                    ),
                    15,
                    {"question": C, "answer": P},
                ),
                Step(
                    "reactions",
                    N_("Réactions"),
                    N_(
                        "Les contributeurs et contributrices font des propositions, partagent idées et "
                        "expériences. La personne qui porte le sujet écoute attentivement et ne répond "
                        "pas."
                    ),
                    20,
                    {"proposal": C},
                    porteur_listens=True,
                ),
                Step(
                    "feedback",
                    N_("Feedback"),
                    N_(
                        "La personne qui porte le sujet marque les propositions retenues, puis écrit ce "
                        "qu’elle retient et ce qu’elle va faire."
                    ),
                    10,
                    {"retain": P, "action_plan": P},
                ),
            ),
        ),
        Template(
            "quebec",
            N_("Méthode québécoise en 6 étapes"),
            N_(
                "Payette et Champagne : exposé, clarification, contrat, consultation, synthèse "
                "et plan d’action, apprentissages (environ 1 h 30)."
            ),
            (
                Step(
                    "expose",
                    N_("Exposé"),
                    N_(
                        "La personne qui porte le sujet expose sa situation et l’écrit. Les autres écoutent."
                    ),
                    10,
                    {"subject": P},
                ),
                Step(
                    "clarification",
                    N_("Clarification"),
                    N_(
                        "Les contributeurs et contributrices posent des questions d’information. La personne qui porte le sujet y répond."
                    ),
                    15,
                    {"question": C, "answer": P},
                ),
                Step(
                    "contrat",
                    N_("Contrat"),
                    N_(
                        "La personne qui porte le sujet dit quelle aide elle attend du groupe et l’écrit."
                    ),
                    5,
                    {"contract": P},
                ),
                Step(
                    "consultation",
                    N_("Consultation"),
                    N_(
                        "Les contributeurs et contributrices proposent pistes, idées et expériences. La "
                        "personne qui porte le sujet écoute sans répondre."
                    ),
                    25,
                    {"proposal": C},
                    porteur_listens=True,
                ),
                Step(
                    "synthese",
                    N_("Synthèse et plan d’action"),
                    N_(
                        "La personne qui porte le sujet marque les propositions retenues et écrit son "
                        "plan d’action."
                    ),
                    15,
                    {"retain": P, "action_plan": P},
                ),
                Step(
                    "apprentissages",
                    N_("Apprentissages"),
                    N_(
                        "Chaque personne dit ce qu’elle a appris (les « 4 A » : appréciation, attentes, "
                        "apprentissages, applications)."
                    ),
                    15,
                    {"learning": EVERYONE},
                ),
            ),
        ),
        Template(
            "flash",
            N_("Codev flash (30 min)"),
            N_("Un format court : sujet, questions, propositions, plan d’action."),
            (
                Step(
                    "sujet",
                    N_("Sujet"),
                    N_(
                        "La personne qui porte le sujet l’écrit et le présente en quelques phrases."
                    ),
                    5,
                    {"subject": P},
                ),
                Step(
                    "questions",
                    N_("Questions"),
                    N_(
                        "Les contributeurs et contributrices posent des questions courtes ; la personne qui porte le sujet répond."
                    ),
                    8,
                    {"question": C, "answer": P},
                ),
                Step(
                    "propositions",
                    N_("Propositions"),
                    N_(
                        "Les contributeurs et contributrices proposent ; la personne qui porte le sujet écoute sans répondre."
                    ),
                    10,
                    {"proposal": C},
                    porteur_listens=True,
                ),
                Step(
                    "plan",
                    N_("Plan d’action"),
                    N_(
                        "La personne qui porte le sujet retient des propositions et écrit ce qu’elle va faire."
                    ),
                    7,
                    {"retain": P, "action_plan": P},
                ),
            ),
        ),
    )
}
DEFAULT_TEMPLATE = "cinq_etapes"


def get_template(key) -> Template:
    """
    >>> get_template("flash").name
    'Codev flash (30 min)'
    >>> get_template("nope")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: codev_invalid_template
    """
    if not isinstance(key, str) or key not in TEMPLATES:
        raise DomainError("codev_invalid_template")
    return TEMPLATES[key]


# ---------------------------------------------------------------- rules


def check_action(template_key: str, step_index: int, role: str | None, action: str) -> None:
    """Raise :class:`DomainError` unless ``role`` may do ``action`` at this step.

    Codes: ``codev_no_role``, ``codev_porteur_listens``, ``codev_only_porteur``,
    ``codev_only_contributors``, ``codev_only_secretary``,
    ``codev_not_this_step`` (with ``step``, the step's name).
    """
    template = get_template(template_key)
    if action not in ACTIONS:
        raise DomainError("invalid_payload")
    if role not in ROLES:
        raise DomainError("codev_no_role")
    if not 0 <= step_index < len(template.steps):
        raise DomainError("codev_not_running")
    step = template.steps[step_index]
    allowed = step.roles_for(action)
    if role in allowed:
        return
    params = {"step": step.name}
    if role == "porteur" and step.porteur_listens:
        raise DomainError("codev_porteur_listens", **params)
    if not allowed:
        raise DomainError("codev_not_this_step", **params)
    if allowed == ("porteur",):
        raise DomainError("codev_only_porteur", **params)
    if allowed == ("contributeur",):
        raise DomainError("codev_only_contributors", **params)
    if allowed == ("secretaire",):
        raise DomainError("codev_only_secretary", **params)
    raise DomainError("codev_not_this_step", **params)  # pragma: no cover


def check_write(template_key: str, status: str, step_index: int, role, action: str) -> None:
    """The rules for a write, whatever the session's status.

    Before the start nothing is written; once finished, the porteur may still
    complete the proposals retained and the action plan (the last step's work).

    >>> check_write("cinq_etapes", "finished", 4, "porteur", "action_plan")
    >>> check_write("cinq_etapes", "setup", 0, "porteur", "subject")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: codev_not_started
    """
    if status == "setup":
        raise DomainError("codev_not_started")
    if status == "finished":
        if role == "porteur" and action in ("retain", "action_plan"):
            return
        raise DomainError("codev_finished")
    check_action(template_key, step_index, role, action)


# What one may erase: the texts of the group and a question's answer.
ERASABLE = GROUP_TEXT_ACTIONS + ("answer",)


def check_erase(template_key: str, role, action: str) -> None:
    """Whoever may write ``action`` at some step of the method may also erase
    it, at any moment, the session finished included: one can always take
    back what one wrote (personal data). Code: ``codev_not_your_text``.

    >>> check_erase("cinq_etapes", "porteur", "subject")
    >>> check_erase("cinq_etapes", "contributeur", "action_plan")
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: codev_not_your_text
    """
    if action not in ERASABLE:
        raise DomainError("invalid_payload")
    steps = get_template(template_key).steps
    if role not in ROLES or not any(role in step.roles_for(action) for step in steps):
        raise DomainError("codev_not_your_text")


def allowed_actions(template_key: str, step_index: int, role: str | None) -> list[str]:
    """What ``role`` may do now (for the phone's "ce que vous pouvez faire").

    >>> allowed_actions("cinq_etapes", 4, "porteur")
    ['retain', 'action_plan']
    """
    template = get_template(template_key)
    if role not in ROLES or not 0 <= step_index < len(template.steps):
        return []
    step = template.steps[step_index]
    return [a for a in ACTIONS if role in step.roles_for(a)]


def clean_item_text(action: str, value) -> str:
    """The text of a write, checked (empty, too long, control characters)."""
    return clean_text(value, max_length=TEXT_MAX[action], multiline=True)


# ---------------------------------------------------------------- groups and roles


def clean_group_fields(data: dict, *, partial: bool = False) -> dict:
    """Validate a group's name, room, colour, template and maximum size.

    >>> clean_group_fields({"name": "Co-développement", "room": "Salle Chardon", "colour": "bleu"})
    {'name': 'Co-développement', 'room': 'Salle Chardon', 'colour': 'bleu', 'template': 'cinq_etapes', 'max_members': 12}
    >>> clean_group_fields({"name": "x", "colour": "fuchsia"})
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: codev_invalid_colour
    """
    out = {}
    if not partial or "name" in data:
        out["name"] = clean_text(data.get("name"), max_length=NAME_MAX, field="name")
    if not partial or "room" in data:
        out["room"] = clean_text(data.get("room"), max_length=ROOM_MAX, required=False)
    if not partial or "colour" in data:
        colour = data.get("colour") or ("bleu" if not partial else None)
        if colour not in COLOURS:
            raise DomainError("codev_invalid_colour")
        out["colour"] = colour
    if not partial or "template" in data:
        out["template"] = get_template(data.get("template") or DEFAULT_TEMPLATE).key
    if not partial or "max_members" in data:
        value = data.get("max_members", DEFAULT_MAX_MEMBERS)
        if value is None and not partial:
            value = DEFAULT_MAX_MEMBERS
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not MIN_MEMBERS_LIMIT <= value <= MAX_MEMBERS_LIMIT
        ):
            raise DomainError("codev_invalid_max", min=MIN_MEMBERS_LIMIT, max=MAX_MEMBERS_LIMIT)
        out["max_members"] = value
    return out


def clean_durations(template_key: str, minutes) -> list[int]:
    """Durations in minutes (one per step, 1 to 120) → milliseconds.

    >>> clean_durations("flash", [5, 8, 10, 7])
    [300000, 480000, 600000, 420000]
    >>> clean_durations("flash", [5, 8])
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: codev_invalid_durations
    """
    template = get_template(template_key)
    if not isinstance(minutes, list) or len(minutes) != len(template.steps):
        raise DomainError("codev_invalid_durations", min=1, max=120)
    out = []
    for m in minutes:
        if isinstance(m, bool) or not isinstance(m, int | float) or not 1 <= m <= 120:
            raise DomainError("codev_invalid_durations", min=1, max=120)
        out.append(int(round(m * 60)) * 1000)
    return out


def check_join(*, status: str, closed: bool, members: int, max_members: int) -> None:
    """May someone join this group now?

    >>> check_join(status="setup", closed=False, members=11, max_members=12)
    >>> check_join(status="setup", closed=False, members=12, max_members=12)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: codev_group_full
    >>> check_join(status="running", closed=False, members=3, max_members=12)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: codev_group_closed
    """
    if closed or status != "setup":
        raise DomainError("codev_group_closed")
    if members >= max_members:
        raise DomainError("codev_group_full", max=max_members)


def check_role_change(*, status: str, new_role, roles_taken: dict, member_id: int) -> str:
    """Check a role change before the start; ``roles_taken``: role → member id.

    >>> check_role_change(status="setup", new_role="porteur", roles_taken={}, member_id=3)
    'porteur'
    >>> check_role_change(status="setup", new_role="porteur", roles_taken={"porteur": 4}, member_id=3)
    Traceback (most recent call last):
    ...
    workshop.domain.errors.DomainError: codev_porteur_taken
    """
    if new_role not in ROLES:
        raise DomainError("codev_invalid_role")
    if status != "setup":
        raise DomainError("codev_roles_locked")
    if new_role in SINGLE_ROLES:
        holder = roles_taken.get(new_role)
        if holder is not None and holder != member_id:
            raise DomainError(f"codev_{new_role}_taken")
    return new_role


def size_warning(contributors: int) -> str | None:
    """A warning (not a refusal) when the group is outside 5–10 contributors.

    >>> size_warning(3), size_warning(6), size_warning(11)
    ('codev_few_contributors', None, 'codev_many_contributors')
    """
    if contributors < GROUP_MIN_ADVISED:
        return "codev_few_contributors"
    if contributors > GROUP_MAX_ADVISED:
        return "codev_many_contributors"
    return None


def check_can_start(roles: list[str]) -> None:
    """A session needs a porteur and at least one contributeur."""
    if "porteur" not in roles:
        raise DomainError("codev_no_porteur")
    if "contributeur" not in roles:
        raise DomainError("codev_no_contributor")


# ---------------------------------------------------------------- timer


@dataclass(frozen=True)
class Timer:
    """A group's progress: status, step, and its clock.

    Running: ``deadline_ms`` (absolute server epoch ms) is set. Paused:
    ``remaining_ms`` is set. The step never advances by itself.
    """

    durations_ms: tuple
    status: str = "setup"
    step_index: int = 0
    deadline_ms: int | None = None
    remaining_ms: int | None = None
    step_duration_ms: int | None = None

    @classmethod
    def new(cls, durations_ms) -> "Timer":
        return cls(durations_ms=tuple(durations_ms))

    @property
    def running(self) -> bool:
        return self.status == "running" and self.deadline_ms is not None

    def remaining(self, now: int) -> int | None:
        """Milliseconds left (negative when overrun), ``None`` outside a step."""
        if self.status != "running":
            return None
        if self.deadline_ms is not None:
            return self.deadline_ms - now
        return self.remaining_ms

    def _enter(self, index: int, now: int) -> "Timer":
        d = self.durations_ms[index]
        return replace(
            self,
            status="running",
            step_index=index,
            deadline_ms=now + d,
            remaining_ms=None,
            step_duration_ms=d,
        )

    def apply(self, action: str, now: int, minutes=None) -> "Timer":
        """One of ``start pause resume extend next prev``.

        >>> t = Timer.new([1000, 2000]).apply("start", 0).apply("next", 10)
        >>> t.step_index, t.deadline_ms
        (1, 2010)
        >>> t.apply("next", 20).status
        'finished'
        >>> Timer.new([1000]).apply("pause", 0)
        Traceback (most recent call last):
        ...
        workshop.domain.errors.DomainError: codev_not_running
        """
        if action not in TIMER_ACTIONS:
            raise DomainError("invalid_payload")
        return getattr(self, action)(now) if action != "extend" else self.extend(now, minutes)

    def start(self, now: int) -> "Timer":
        if self.status != "setup":
            raise DomainError("codev_already_started")
        return self._enter(0, now)

    def pause(self, now: int) -> "Timer":
        if self.status != "running":
            raise DomainError("codev_not_running")
        if self.deadline_ms is None:
            raise DomainError("codev_already_paused")
        return replace(self, deadline_ms=None, remaining_ms=self.deadline_ms - now)

    def resume(self, now: int) -> "Timer":
        if self.status != "running":
            raise DomainError("codev_not_running")
        if self.deadline_ms is not None:
            raise DomainError("codev_not_paused")
        return replace(self, deadline_ms=now + self.remaining_ms, remaining_ms=None)

    def extend(self, now: int, minutes) -> "Timer":
        """Add 1 or 5 minutes; an overrun step restarts from "now"."""
        if self.status != "running":
            raise DomainError("codev_not_running")
        if minutes not in EXTEND_MINUTES or isinstance(minutes, bool):
            raise DomainError("codev_invalid_extend")
        add = minutes * 60_000
        if self.deadline_ms is not None:
            return replace(
                self,
                deadline_ms=max(self.deadline_ms, now) + add,
                step_duration_ms=(self.step_duration_ms or 0) + add,
            )
        return replace(
            self,
            remaining_ms=max(self.remaining_ms, 0) + add,
            step_duration_ms=(self.step_duration_ms or 0) + add,
        )

    def next(self, now: int) -> "Timer":
        if self.status == "setup":
            raise DomainError("codev_not_running")
        if self.status == "finished":
            raise DomainError("codev_finished")
        if self.step_index + 1 >= len(self.durations_ms):
            return replace(
                self,
                status="finished",
                deadline_ms=None,
                remaining_ms=None,
                step_duration_ms=None,
            )
        return self._enter(self.step_index + 1, now)

    def prev(self, now: int) -> "Timer":
        if self.status == "setup":
            raise DomainError("codev_not_running")
        if self.status == "finished":
            return self._enter(len(self.durations_ms) - 1, now)
        if self.step_index == 0:
            raise DomainError("codev_first_step")
        return self._enter(self.step_index - 1, now)
