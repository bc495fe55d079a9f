"""Settings of the server the verification benchmark starts: the dev settings with a URLconf that adds the
minimal JSON view (the baseline) beside the platform's own URLs. Not used anywhere else."""

from config.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
DEBUG = False
