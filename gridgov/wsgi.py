import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse to serve with a missing or wrong personal-data key (message names it).
from gridgov.data.privacy import check_keys_at_start  # noqa: E402

check_keys_at_start()

# Nor serve pages that would all answer 500 (DEBUG off, static files not collected): the message names the command.
from gridgov.settings_checks import check_static_files_at_start  # noqa: E402

check_static_files_at_start()
