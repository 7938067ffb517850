"""Settings for the test suite: the real settings with a test-only key."""

import os

os.environ.setdefault("ONESTORY_SECRET_KEY", "test-only-key-" + "x" * 40)

from onestory.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
STATIC_ROOT = None  # tests serve static files from the app folders
