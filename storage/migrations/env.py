"""Alembic environment: migrations run on a connection handed in by storage.database."""

from alembic import context

from storage.database import described_by_models
from storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `plenary db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_name=described_by_models,
)
with context.begin_transaction():
    context.run_migrations()
