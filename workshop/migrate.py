"""Alembic migrations, run at start-up or with ``workshop db upgrade``.

Each capability has its own migration branch off the foundation; ``heads``
upgrades them all. On PostgreSQL an advisory lock makes concurrent start-ups
of several processes safe.
"""

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from .db import make_engine
from .paths import MIGRATIONS_DIR

ADVISORY_LOCK_ID = 7_262_011


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.attributes["database_url"] = url
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": ADVISORY_LOCK_ID})
                conn.commit()
            try:
                cfg = alembic_config(url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                conn.commit()
            finally:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_LOCK_ID})
                    conn.commit()
    finally:
        engine.dispose()


def current(url: str) -> None:
    command.current(alembic_config(url), verbose=False)
