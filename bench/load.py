"""50 practitioners at once: gunicorn on loopback, caseload -> record -> plan.

    PYTHONPATH=. .venv/bin/python bench/load.py --families 20000 \
        [--database-url postgres://postgres@127.0.0.1:5432/onestory_bench] \
        [--users 50] [--seconds 60] [--workers 4] [--url http://127.0.0.1:8000] \
        [--think 1]

Loads the demo city if the database is empty (the database must exist), starts
gunicorn with `--workers` sync workers on a free loopback port (or uses the
server at `--url`, which must run with the same database and keys), signs in
`--users` different staff who lead families (password, then the demo's
authenticator code, as a person would), and lets each of them walk their
caseload -> one of their families' record -> its plan, one request after the
other with no pause (or, with `--think`, a random pause after each page), for
`--seconds`. Prints p50/p95/p99 per page and overall,
the errors (anything but a 200), the requests per second and the workers' CPU
time per request (when it started them). Results go in
bench/RESULTS.md by hand, with the machine and its load.

A bounded standard-library script (threads and http.client) rather than
Locust: the walk is three GETs and a sign-in, and nothing new in the lock
file (docs/decisions/0017-load-test-without-locust.md).

Each practitioner opens only the families on the first page of their caseload
(25 at most), well under the hour's bulk-read alert (R29), as a day's work does.
"""

import argparse
import http.client
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ENVIRONMENT = {
    "ONESTORY_SECRET_KEY": "bench-only-key-" + "x" * 40,
    "ONESTORY_AUDIT_KEY": "bench-only-audit-key",
    "ONESTORY_TOTP_KEY": "bench-only-totp-key",
    "ONESTORY_RECOVERY_CODE_KEY": "bench-only-recovery-code-key",
    "ONESTORY_ALLOWED_HOSTS": "127.0.0.1",
    "ONESTORY_PUBLIC_URL": "http://127.0.0.1",
    "ONESTORY_SECURE_COOKIES": "false",  # plain HTTP on loopback
    "ONESTORY_LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "onestory.config.settings",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--database-url", default="sqlite:///var/bench.sqlite3")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--url", default="", help="a running server to use")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds a practitioner reads each page before the next, on average"
        " (drawn uniformly from 0 to twice this; at most 30)",
    )
    args = parser.parse_args()
    if not 0 <= args.think <= 30:
        parser.error("--think is from 0 to 30 seconds")
    os.environ.update(ENVIRONMENT, ONESTORY_DATABASE_URL=args.database_url)
    import django

    django.setup()
    prepare(args.families)
    staff = practitioners(args.users)
    print(f"{len(staff)} different practitioners (asked for {args.users})")
    server = None if args.url else serve(args.workers)
    base = args.url or server.url
    try:
        sessions = [Session(base, email, families) for email, families in staff]
        for session in sessions:
            session.sign_in()
        cpu = server.cpu_seconds() if server else None
        results = run(sessions, args.seconds, args.think)
        if server:
            results["cpu"] = server.cpu_seconds() - cpu
        report(results, base)
    finally:
        if server is not None:
            server.stop()


def prepare(families: int) -> None:
    from django.core.management import call_command
    from django.test import override_settings

    call_command("migrate", verbosity=0)
    with override_settings(DEBUG=True):  # the demo loads in development only
        call_command("demo", families=families, if_empty=True)


def practitioners(number: int) -> list[tuple[str, list[str]]]:
    """Up to `number` different active staff leading families, with the families
    on the first page of their caseload."""
    from django.db.models import Count, Q

    from onestory.accounts.models import User
    from onestory.families import queries
    from onestory.families.views import PAGE_SIZE
    from onestory.support.models import InvolvementRole

    leads = (
        User.objects.filter(is_active=True, authenticator__isnull=False)
        .annotate(
            leading=Count(
                "involvements",
                filter=Q(
                    involvements__role=InvolvementRole.LEAD,
                    involvements__ended_at=None,
                ),
            )
        )
        .filter(leading__gt=0)
        .order_by("-leading", "email")[:number]
    )
    return [
        (
            user.email,
            [
                str(pk)
                for pk in queries.list_caseload(user).values_list("pk", flat=True)[
                    :PAGE_SIZE
                ]
            ],
        )
        for user in leads
    ]


class Server:
    def __init__(self, process, url):
        self.process, self.url = process, url

    def cpu_seconds(self) -> float:
        """CPU time the workers have used (Linux /proc): per request, what the
        machine's load cannot inflate as it does the wall-clock times."""
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ticks = 0
        for child in children:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def serve(workers: int) -> Server:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = open(ROOT / "var" / "load-gunicorn.log", "w")  # noqa: SIM115 (the server's)
    process = subprocess.Popen(  # noqa: S603 (our own arguments)
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "onestory.config.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--timeout=120",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            status, _body, _location = Session(url, "", []).get("/sign-in/")
            if status == 200:
                return Server(process, url)
        except OSError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise SystemExit(f"gunicorn did not answer on {url}: see var/load-gunicorn.log")


class Session:
    """One person's browser: cookies, and the CSRF token forms carry."""

    def __init__(self, base: str, email: str, families: list[str]):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.email, self.families = email, families
        self.cookies: dict[str, str] = {}

    def request(self, method, path, fields=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content, response.getheader("Location", "")
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def post_form(self, path, fields):
        _status, page, _location = self.get(path)
        token = CSRF_FIELD.search(page)
        if token is None:
            raise RuntimeError(f"No form on {path} for {self.email}")
        return self.request("POST", path, {"csrfmiddlewaretoken": token[1], **fields})

    def sign_in(self) -> None:
        from onestory.accounts.demo import DEMO_PASSWORD, current_demo_code

        status, _page, location = self.post_form(
            "/sign-in/", {"email": self.email, "password": DEMO_PASSWORD}
        )
        if status != 302 or not location.endswith("/sign-in/code/"):
            raise RuntimeError(f"{self.email}: the password step gave {status}")
        status, _page, location = self.post_form(
            "/sign-in/code/", {"code": current_demo_code()}
        )
        if status != 302 or "sign-in" in location:
            raise RuntimeError(f"{self.email}: the code step gave {status}")


def run(sessions, seconds: float, think: float = 0.0) -> dict[str, list]:
    """Every session walks at once until the time is up; the timings by page.

    With `think`, each practitioner pauses after each page for a time drawn
    uniformly from 0 to twice `think` (the pause is not timed)."""
    timings: dict[str, list] = {"caseload": [], "record": [], "plan": []}
    errors: list[str] = []
    start = threading.Barrier(len(sessions) + 1)
    state = {}

    def walk(session, seed):
        rng = random.Random(seed)
        start.wait()
        while time.monotonic() < state["deadline"]:
            family = rng.choice(session.families)
            for page, path in (
                ("caseload", "/families/"),
                ("record", f"/families/{family}/"),
                ("plan", f"/families/{family}/plan/"),
            ):
                began = time.perf_counter()
                try:
                    status, _body, _location = session.get(path)
                except OSError as error:
                    status = type(error).__name__
                timings[page].append(time.perf_counter() - began)
                if status != 200:
                    errors.append(f"{page} {status}")
                if think:
                    time.sleep(rng.uniform(0, 2 * think))

    threads = [
        threading.Thread(target=walk, args=(session, n))
        for n, session in enumerate(sessions)
    ]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    state["deadline"] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    # The walks under way at the deadline finish: the time is until they have.
    return {**timings, "errors": errors, "elapsed": time.monotonic() - began}


def report(results: dict, base: str) -> None:
    errors, seconds = results.pop("errors"), results.pop("elapsed")
    cpu = results.pop("cpu", None)
    every = [t for timings in results.values() for t in timings]
    print(f"{base}, {seconds:.0f} s, load average {os.getloadavg()[0]:.1f}")
    for name, timings in [*results.items(), ("all", every)]:
        if len(timings) < 2:
            print(f"{name:<9} {len(timings)} requests")
            continue
        p = statistics.quantiles(timings, n=100)
        print(
            f"{name:<9} {len(timings):6d} requests   p50 {p[49] * 1000:7.0f} ms   "
            f"p95 {p[94] * 1000:7.0f} ms   p99 {p[98] * 1000:7.0f} ms"
        )
    print(f"errors {len(errors)} ({', '.join(sorted(set(errors))[:5]) or 'none'})")
    print(f"requests/s {len(every) / seconds:.1f}")
    if cpu is not None:
        print(f"server CPU {cpu * 1000 / max(len(every), 1):.0f} ms a request")


if __name__ == "__main__":
    main()
