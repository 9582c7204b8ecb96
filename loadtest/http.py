"""A minimal browser: cookies, the CSRF token, one connection per request.

A fresh connection for every request lets the kernel hand each one to any
gunicorn worker, which is what the cross-worker tests need to see.
"""

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self):
        return self.headers.get("location", "")


class Browser:
    def __init__(self, host, port, timeout=30):
        self.host = host
        self.port = port
        self.timeout = timeout
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=self.timeout
        )
        try:
            sent = {"Host": f"{self.host}:{self.port}", "Connection": "close"}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            sent.update(headers or {})
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            payload = raw.read()
            received = {}
            for name, value in raw.getheaders():
                if name.lower() == "set-cookie":
                    self._remember(value)
                received[name.lower()] = value
            return Response(raw.status, received, payload)
        finally:
            connection.close()

    def _remember(self, header):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or morsel.value == "":
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path, query=None):
        if query:
            path = f"{path}?{urlencode(query, doseq=True)}"
        return self.request("GET", path)

    def post(self, path, data, *, token=None):
        """POST a form with the CSRF token (from ``token`` or the cookie)."""
        fields = dict(data)
        fields["csrfmiddlewaretoken"] = token or self.cookies.get("csrftoken", "")
        body = urlencode(fields, doseq=True)
        return self.request(
            "POST",
            path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{self.host}:{self.port}{urlsplit(path).path}",
            },
        )

    def form_token(self, path):
        """GET a page and return the CSRF token its form carries."""
        page = self.get(path)
        found = _TOKEN.search(page.text)
        return found.group(1) if found else self.cookies.get("csrftoken", "")

    def login(self, username, password, path="/accounts/login/"):
        token = self.form_token(path)
        return self.post(
            path, {"username": username, "password": password}, token=token
        )
