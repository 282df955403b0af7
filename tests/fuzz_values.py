"""Values outside what each declared field accepts, by field type (for the
fuzzers): numbers beyond 64 bits, nested lists and objects, lone UTF-16
surrogates, wrong types, oversized strings. Read from the declarations
(``workshop.domain.contracts``), so that a new field is fuzzed as it lands."""

from workshop.domain import contracts as C

HUGE = (2**70, -(2**70), 2**63, -(2**63) - 1)
NESTED = ([[["x"]]], {"a": {"b": [1]}}, [{}], {"": None})
WRONG = (True, False, 1.5, "1", [], {}, None)
SURROGATES = ("\ud800", "a\udfffb", "\udc00" * 8)


def out_of_range(spec: C.Field) -> list:
    """Values ``spec`` must refuse (with its field named in the refusal).
    A field type of a capability's own (a free-form object it checks
    itself) gets none: its own tests cover it."""
    out = [*NESTED, *SURROGATES[:1]]
    if type(spec).__module__ != C.__name__:
        return []
    if isinstance(spec, C.Id):
        out += [*HUGE, 0, -1, C.ID_MAX + 1, True, 1.0, "1", "1; drop"]
    elif isinstance(spec, C.Int):
        out += [*HUGE, spec.low - 1, spec.high + 1, True, float(spec.low), str(spec.low)]
    elif isinstance(spec, C.Bool):
        out += [0, 1, "true", "oui", [], {}, 2**70]
    elif isinstance(spec, C.ClientId):
        out += [*SURROGATES, "x" * 7, "x" * 65, "<script>", "a b c d e", 12345678, [], {}]
    elif isinstance(spec, C.Str):
        out += [*SURROGATES, "x" * (spec.max_length + 1), 12, True, [], {}]
    elif isinstance(spec, C.Choice):
        out += ["zz-inconnu", [spec.values[0]], {str(spec.values[0]): 1}, True, 2**70]
    elif isinstance(spec, C.List):
        out += ["abc", 12, {}, [[[]]], [spec.item.example()] * (spec.max_items + 1)]
        out += [[v] for v in out_of_range(spec.item)[:6] if not isinstance(v, list)]
    elif isinstance(spec, C.Object):
        out += [[], "x", 12, {"zz-inconnu": 1}]
    if not spec.nullable:
        out.append(None)
    return out


def bad_payloads(contract: C.Contract) -> list[tuple[str, object]]:
    """``(field, payload)`` pairs: each field in turn out of range, each
    required field missing, an unknown key, payloads that are not objects
    (field ``payload``)."""
    base = contract.example()
    out = []
    for key, spec in contract.fields.items():
        for value in out_of_range(spec):
            out.append((key, {**base, key: value}))
        if spec.required:
            out.append((key, {k: v for k, v in base.items() if k != key}))
    out.append(("zz_inconnu", {**base, "zz_inconnu": 1}))
    out.append(("couleur", {**base, "couleur": "rouge"}))
    for payload in ([], [base], "x", 12, True):
        out.append(("payload", payload))
    return out
