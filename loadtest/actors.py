"""The people of the load run, each a thread with its own browser session.

Every actor goes through the real HTTP endpoints: it reads a page, takes the
IDs it offers, and posts the form a person would. What the pages report as
done is added up, so the run can compare it with the activity log.
"""

import html
import logging
import random
import re
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict

from .http import Browser
from .server import BASE_DIR

logger = logging.getLogger(__name__)

IDS = re.compile(
    r'<input[^>]*\bname="ids"[^>]*\bvalue="(\d+)"|'
    r'<input[^>]*\bvalue="(\d+)"[^>]*\bname="ids"'
)
ADMIN_IDS = re.compile(r'name="_selected_action" value="(\d+)"')
SEARCH_LINKS = re.compile(r'href="/search/(\d+)/"')
MESSAGE = re.compile(r'<li class="[^"]*">(.*?)</li>', re.S)
DONE = {
    "archive": re.compile(r"(\d+) products? moved to the Archive Library\."),
    "restore": re.compile(r"(\d+) products? restored to the Product List\."),
    "delete": re.compile(r"(\d+) products? deleted permanently\."),
    "assemble": re.compile(r"(\d+) orders? assembled"),
    "cancel": re.compile(r"(\d+) orders? cancelled"),
    "admin": re.compile(r"(\d+) orders? changed\."),
}
REFUSED = re.compile(r"(\d+) (?:products?|orders?) (?:was|were) left unchanged")


class Stats:
    """What every actor did, shared under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.statuses = Counter()
        self.by_action = Counter()
        self.server_errors = []
        # 4xx answers by action: refusals the run expects (sold out, gone).
        self.refusals = Counter()
        self.transport_errors = []
        self.done = Counter()
        self.refused = Counter()
        self.orders_placed = []
        self.sold_out = 0
        self.supplies = defaultdict(int)  # (product, warehouse) -> units
        self.supply_count = 0
        self.hidden = 0
        self.hide_runs = Counter()

    def record(self, action, method, path, status):
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            self.by_action[action] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {method} {path}")
            elif status >= 400:
                self.refusals[f"{status} {method} {action}"] += 1


def messages_of(response):
    return [
        html.unescape(re.sub(r"<[^>]+>", "", m)).strip()
        for m in MESSAGE.findall(response.text)
    ]


def ids_on(page):
    found = []
    for a, b in IDS.findall(page.text):
        value = int(a or b)
        if value not in found:
            found.append(value)
    return found


class Actor(threading.Thread):
    def __init__(self, name, server_port, stats, deadline, seed):
        super().__init__(name=name, daemon=True)
        self.browser = Browser("127.0.0.1", server_port)
        self.stats = stats
        self.deadline = deadline
        self.random = random.Random(seed)

    def call(self, action, method, path, data=None, *, token=None):
        try:
            if method == "GET":
                response = self.browser.get(path)
            else:
                response = self.browser.post(path, data or {}, token=token)
        except OSError as error:
            with self.stats.lock:
                self.stats.transport_errors.append(f"{method} {path}: {error}")
            return None
        self.stats.record(action, method, path, response.status)
        return response

    def follow(self, action, response):
        """GET the page a POST redirected to; return the messages shown."""
        if response is None or response.status != 302:
            return []
        page = self.call(action, "GET", response.location)
        return messages_of(page) if page is not None else []

    def count_done(self, key, messages, as_key=None):
        for text in messages:
            found = DONE[key].search(text)
            refused = REFUSED.search(text)
            with self.stats.lock:
                if found:
                    self.stats.done[as_key or key] += int(found.group(1))
                if refused:
                    self.stats.refused[as_key or key] += int(refused.group(1))

    def run(self):
        try:
            self.start_session()
            while time.monotonic() < self.deadline:
                self.step()
        except Exception:  # a bug in the actor must not hide the others' work
            logger.exception("actor %s stopped", self.name)
            with self.stats.lock:
                self.stats.transport_errors.append(f"{self.name} crashed")

    def start_session(self):
        pass


class Seller(Actor):
    """Archives, restores and deletes; assembles and cancels in Orders."""

    def __init__(self, username, password, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.username = username
        self.password = password

    def start_session(self):
        response = self.browser.login(self.username, self.password)
        if response.status != 302:
            raise RuntimeError(f"{self.username} could not sign in: {response.status}")

    def step(self):
        choice = self.random.random()
        if choice < 0.30:
            self.archive()
        elif choice < 0.50:
            self.restore()
        elif choice < 0.65:
            self.delete()
        elif choice < 0.90:
            self.orders()
        else:
            self.call("browse", "GET", f"/products/?page={self.random.randint(1, 3)}")

    def pick(self, ids, most=3):
        return self.random.sample(ids, min(len(ids), self.random.randint(1, most)))

    def archive(self):
        # Mostly archivable rows; sometimes any row (refused if it holds
        # stock), sometimes "all matching" over the archivable filter.
        if self.random.random() < 0.25:
            page, query = self.call("archive", "GET", "/products/"), ""
        else:
            query = "?stock=archivable"
            page = self.call("archive", "GET", f"/products/{query}")
        ids = ids_on(page) if page else []
        if not ids:
            return
        if self.random.random() < 0.05:
            data = {"operation": "archive", "scope": "all"}
        else:
            data = {"operation": "archive", "scope": "ids", "ids": self.pick(ids)}
        response = self.call(
            "archive", "POST", f"/archive/operate/products/{query}", data
        )
        self.count_done("archive", self.follow("archive", response))

    def restore(self):
        page = self.call("restore", "GET", "/archive/")
        ids = ids_on(page) if page else []
        if not ids:
            return
        data = {"operation": "restore", "scope": "ids", "ids": self.pick(ids)}
        response = self.call("restore", "POST", "/archive/operate/", data)
        self.count_done("restore", self.follow("restore", response))

    def delete(self):
        page = self.call("delete", "GET", "/archive/?stock=deletable")
        ids = ids_on(page) if page else []
        if not ids:
            return
        data = {
            "operation": "delete",
            "scope": "ids",
            "ids": self.pick(ids, most=2),
            "confirmed": "yes",
        }
        response = self.call(
            "delete", "POST", "/archive/operate/?stock=deletable", data
        )
        self.count_done("delete", self.follow("delete", response))

    def orders(self):
        page = self.call("orders", "GET", "/orders/?state=awaiting_packaging")
        ids = ids_on(page) if page else []
        if not ids:
            return
        operation = "assemble" if self.random.random() < 0.6 else "cancel"
        data = {"operation": operation, "scope": "ids", "ids": self.pick(ids)}
        if operation == "cancel":
            data["confirmed"] = "yes"
        response = self.call("orders", "POST", "/orders/operate/", data)
        self.count_done(operation, self.follow("orders", response))


class Buyer(Actor):
    """Searches, opens a product and buys a few units."""

    def step(self):
        page = self.call("search", "GET", f"/search/?page={self.random.randint(1, 3)}")
        ids = SEARCH_LINKS.findall(page.text) if page else []
        if not ids:
            time.sleep(0.2)
            return
        pk = self.random.choice(ids)
        token = self.browser.form_token(f"/search/{pk}/")
        if not token:
            return  # a sold-out product's page has no Buy form to submit
        data = {
            "quantity": str(self.random.randint(1, 4)),
            "buyer_name": self.name,
            "buyer_email": f"{self.name}@example.com",
        }
        response = self.call("buy", "POST", f"/search/{pk}/", data, token=token)
        if response is None:
            return
        if response.status == 302 and "/search/ordered/" in response.location:
            order_id = int(response.location.rstrip("/").rsplit("/", 1)[1])
            with self.stats.lock:
                self.stats.orders_placed.append(order_id)
            self.call("buy", "GET", response.location)
        elif response.status == 409:
            with self.stats.lock:
                self.stats.sold_out += 1


class Staff(Actor):
    """Assembles and cancels through the admin's actions; receives supplies."""

    def __init__(
        self, username, password, admin_path, supply_targets, warehouse, *args, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.username = username
        self.password = password
        self.admin = admin_path
        self.supply_targets = supply_targets
        self.warehouse = warehouse

    def start_session(self):
        login = f"{self.admin}login/"
        token = self.browser.form_token(login)
        response = self.browser.post(
            login,
            {"username": self.username, "password": self.password, "next": self.admin},
            token=token,
        )
        if response.status != 302:
            raise RuntimeError(f"staff could not sign in: {response.status}")

    def step(self):
        if self.random.random() < 0.6:
            self.orders()
        else:
            self.supply()

    def orders(self):
        changelist = f"{self.admin}inventory/order/?state__exact=awaiting_packaging"
        page = self.call("admin", "GET", changelist)
        ids = ADMIN_IDS.findall(page.text) if page else []
        if not ids:
            time.sleep(0.2)
            return
        action = "assemble" if self.random.random() < 0.5 else "cancel"
        chosen = self.random.sample(ids, min(len(ids), 2))
        token = self.browser.cookies.get("csrftoken")
        response = self.call(
            "admin",
            "POST",
            changelist,
            {"action": action, "_selected_action": chosen, "index": "0"},
            token=token,
        )
        self.count_done("admin", self.follow("admin", response), as_key=action)

    def supply(self):
        product = self.random.choice(self.supply_targets)
        page = f"{self.admin}inventory/order/supply/"
        token = self.browser.form_token(page)
        units = self.random.randint(1, 5)
        response = self.call(
            "supply",
            "POST",
            page,
            {"product": product, "warehouse": self.warehouse, "quantity": units},
            token=token,
        )
        if response is not None and response.status == 302:
            with self.stats.lock:
                self.stats.supplies[(product, self.warehouse)] += units
                self.stats.supply_count += 1


class Hider(threading.Thread):
    """Runs the hiding command now and then, as cron would on a server."""

    HID = re.compile(r"Hid (\d+) products?")

    def __init__(self, name, env, stats, deadline, every):
        super().__init__(name=name, daemon=True)
        self.env = env
        self.stats = stats
        self.deadline = deadline
        self.every = every

    def run(self):
        while time.monotonic() < self.deadline:
            result = subprocess.run(
                [sys.executable, "manage.py", "hide_out_of_stock"],
                cwd=BASE_DIR,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            found = self.HID.search(result.stdout)
            with self.stats.lock:
                if result.returncode != 0:
                    self.stats.hide_runs["failed"] += 1
                    self.stats.transport_errors.append(
                        f"hide_out_of_stock exit {result.returncode}: "
                        f"{result.stderr[-300:]}"
                    )
                elif found:
                    self.stats.hide_runs["ran"] += 1
                    self.stats.hidden += int(found.group(1))
                else:
                    self.stats.hide_runs["skipped (another run)"] += 1
            time.sleep(self.every)
