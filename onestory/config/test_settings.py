"""Settings for the test suite: the real settings with a test-only key."""

import os

os.environ.setdefault("ONESTORY_SECRET_KEY", "test-only-key-" + "x" * 40)
os.environ.setdefault("ONESTORY_AUDIT_KEY", "test-only-audit-key")
os.environ.setdefault("ONESTORY_TOTP_KEY", "test-only-totp-key")
os.environ.setdefault("ONESTORY_RECOVERY_CODE_KEY", "test-only-recovery-code-key")
os.environ.setdefault("ONESTORY_PUBLIC_URL", "http://testserver")

from onestory.config.env import replica_database
from onestory.config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
STATIC_ROOT = None  # type: ignore[assignment]  # tests serve static files from the apps

# A file, not SQLite's shared-cache memory database: only a file has the locking
# production has (writers wait on the busy timeout instead of failing at once),
# which the concurrency tests rely on.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}  # noqa: F405

# A replica alias on the test database itself, for the router's tests
# (tests/core/test_replica.py switch the router on; others use the primary).
DATABASES.setdefault("replica", replica_database(DATABASES["default"]))  # noqa: F405
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # noqa: F405
