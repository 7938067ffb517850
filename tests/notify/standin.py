"""A stand-in for GOV.UK Notify on loopback: a real HTTP server speaking enough
of Notify's API (send an email, send a text message, list notifications by
reference), checking the client's JWT, and failing on a schedule.

Faults, taken one per request in order (None: answer properly):
- "429": refused, rate limited, nothing created;
- "500": a server error, nothing created;
- "500 after create": created, then a server error (an answer that lies);
- "timeout after create": created, then no answer until the client gave up;
- "timeout": no answer, and nothing created (the request was lost);
- "garbled": created, and answered 201 with a body that is not JSON.
"""

import json
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"onestory_test-{SERVICE_ID}-{SECRET}"


class Standin:
    def __init__(self, *, hang_seconds: float):
        self.hang_seconds = hang_seconds
        self.send_faults: list = []
        self.find_faults: list = []
        self.created: list[dict] = []
        self.requests = Counter()
        # Requests whose fate is decided: created or not, answered or not.
        self.decided = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def sent_per_reference(self) -> Counter:
        with self.lock:
            return Counter(n["reference"] for n in self.created)

    def _fault(self, faults: list):
        with self.lock:
            return faults.pop(0) if faults else None

    def _decided(self):
        with self.lock:
            self.decided += 1

    def wait_until_decided(self, requests: int, seconds: float = 30):
        """Until every request the client sent has been decided here: what a
        real wait of UNKNOWN_WAIT gives, when the test's clock jumps it."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            with self.lock:
                if self.decided >= requests:
                    return
            time.sleep(0.005)
        raise AssertionError("the stand-in never saw a request the client sent")

    def _create(self, kind: str, body: dict) -> dict:
        notification = {
            "id": str(uuid.uuid4()),
            "reference": body.get("reference"),
            "type": kind,
            "status": "created",
            "template": {"id": body["template_id"], "version": 1, "uri": ""},
            "to": body.get("email_address") or body.get("phone_number"),
            "personalisation": body.get("personalisation", {}),
        }
        with self.lock:
            self.created.append(notification)
        return notification

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                kind = {
                    "/v2/notifications/email": "email",
                    "/v2/notifications/sms": "sms",
                }.get(self.path)
                if not self._authorised() or kind is None:
                    return
                with standin.lock:
                    standin.requests["send"] += 1
                fault = standin._fault(standin.send_faults)
                if fault in ("429", "500", "timeout"):
                    standin._decided()
                if fault == "429":
                    return self._error(429, "RateLimitError")
                if fault == "500":
                    return self._error(500, "Exception")
                if fault == "timeout":
                    time.sleep(standin.hang_seconds)
                    return self._error(500, "Exception")
                notification = standin._create(kind, body)
                standin._decided()
                if fault == "500 after create":
                    return self._error(500, "Exception")
                if fault == "timeout after create":
                    time.sleep(standin.hang_seconds)
                if fault == "garbled":
                    return self._raw(201, b"<html>Created</html>")
                self._json(
                    201,
                    {"id": notification["id"], "reference": notification["reference"]},
                )

            def do_GET(self):
                url = urlsplit(self.path)
                if not self._authorised() or url.path != "/v2/notifications":
                    return
                with standin.lock:
                    standin.requests["find"] += 1
                fault = standin._fault(standin.find_faults)
                standin._decided()
                if fault in ("500", "429"):
                    return self._error(int(fault), "Exception")
                if fault == "timeout":
                    time.sleep(standin.hang_seconds)
                reference = parse_qs(url.query).get("reference", [None])[0]
                with standin.lock:
                    found = [n for n in standin.created if n["reference"] == reference]
                self._json(
                    200, {"notifications": found, "links": {"current": self.path}}
                )

            def _authorised(self) -> bool:
                scheme, _, token = self.headers.get("Authorization", "").partition(" ")
                try:
                    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
                except jwt.PyJWTError:
                    claims = {}
                if scheme != "Bearer" or claims.get("iss") != SERVICE_ID:
                    self._error(403, "AuthError")
                    return False
                return True

            def _error(self, status: int, error: str):
                self._json(
                    status,
                    {
                        "status_code": status,
                        "errors": [{"error": error, "message": error}],
                    },
                )

            def _json(self, status: int, payload: dict):
                self._raw(status, json.dumps(payload).encode())

            def _raw(self, status: int, data: bytes):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting: that was the point

        return Handler
