"""What the browser tests share: logging in and out as a user does, and screenshots kept as
test artefacts (``$BANGFU_VAR/screenshots/<name>.png``, a folder CI keeps with the run)."""

from __future__ import annotations

import os
import re
from pathlib import Path


def login(page, live_url: str, username: str, password: str) -> None:
    """The login page, as a user fills it; waits for the home page."""
    page.goto(f"{live_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/")


def logout(page) -> None:
    page.locator("form[action*='logout'] button").click()


def screenshots_folder() -> Path:
    folder = Path(os.environ.get("BANGFU_VAR", "var")) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(page, name: str) -> Path:
    """A full-page screenshot of what the user sees now, kept under ``name``."""
    path = screenshots_folder() / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
