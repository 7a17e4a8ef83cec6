"""Alembic's entry: migrations run on the connection `server.db.migrate` hands over, in its transaction."""

from alembic import context

from server import db

context.configure(connection=context.config.attributes["connection"], target_metadata=db.metadata,
                  transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
