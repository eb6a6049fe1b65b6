"""GridGov's database backends: the stock SQLite and PostgreSQL backends, made to behave under load.

Both log a statement that gave up waiting for a lock (:mod:`gridgov.db.busy`); the SQLite one also knows that
its library has JSON built in instead of asking the database, a question that a busy database answers
"no" (see :mod:`gridgov.db.sqlite3.features`). ``settings.DATABASES`` names them as ENGINE.
"""
