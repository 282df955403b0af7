"""Alembic environment: works with a connection handed over by workshop.migrate."""

from alembic import context
from sqlalchemy import pool

from workshop.db import Base, make_engine
from workshop.model_registry import import_all_models

import_all_models()
config = context.config
target_metadata = Base.metadata


def run_migrations_online():
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    engine = make_engine(url)
    engine.pool = pool.NullPool(engine.pool._creator)
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
