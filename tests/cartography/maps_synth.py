"""Synthetic actor maps for the maps tests."""


def synthetic_records(n: int, links_per_actor: float = 1.5, seed: int = 1) -> dict:
    """A synthetic map of ``n`` actors (about 3 links per actor on average)."""
    import random

    rng = random.Random(seed)
    kinds = ["association", "collectivite", "reseau", "fondation", "financeur"]
    stages = ["declencher", "organiser", "animer"]
    actors = [
        {
            "id": f"a{i}",
            "name": f"Acteur {i} {rng.choice(['Nord', 'Sud', 'Est', 'Ouest'])}",
            "kind": rng.choice(kinds),
            "territoire": rng.choice(["Mulhouse", "Colmar", "Strasbourg"]),
        }
        for i in range(n)
    ]
    contributions = []
    for i in range(n):
        for s in stages:
            if rng.random() < 0.4:
                contributions.append({"actor_id": f"a{i}", "stage": s, "text": f"apport {i} {s}"})
    links = []
    for _ in range(int(n * links_per_actor)):
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            links.append(
                {
                    "source_id": f"a{a}",
                    "target_id": f"a{b}",
                    "kind": rng.choice(
                        ["partenaire", "finance", "accompagne", "oriente", "membre"]
                    ),
                }
            )
    return {"actors": actors, "contributions": contributions, "links": links}
