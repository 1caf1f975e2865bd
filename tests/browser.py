"""Headless-Chromium helpers for the browser tests: look at an HTML report the way a reader's
browser does (every image loads, no cell shows an error) and take a screenshot of it."""

from __future__ import annotations

import html as html_lib
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from analysis.errors import UserError
from analysis.reports.convert import run_chromium

_CHECK_ID = "sdt-browser-check"
_CHECK_SCRIPT = """
<script>
window.addEventListener("load", function () {
  var imgs = Array.prototype.slice.call(document.images);
  var broken = imgs.filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
                   .map(function (i) { return (i.getAttribute("src") || "").slice(0, 80); });
  var errs = [];
  document.querySelectorAll(
      '.output_error, .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
  ).forEach(function (el) {
    var text = el.textContent || "";
    if (el.classList.contains("output_error") || /Traceback|Error:|Exception/.test(text)) {
      errs.push(text.trim().slice(0, 300));
    }
  });
  var out = document.createElement("pre");
  out.id = "__CHECK_ID__";
  out.textContent = JSON.stringify({images: imgs.length, broken: broken, errors: errs,
      cells: document.querySelectorAll(".jp-Cell").length});
  document.body.appendChild(out);
});
</script>
""".replace("__CHECK_ID__", _CHECK_ID)


def browser_check(html_path: str | Path, *, timeout: float = 120) -> dict[str, Any]:
    """Open an HTML report in headless Chromium and report what a reader would see:
    `{"images": n, "broken": [src...], "errors": [text...], "cells": n}`."""
    html_path = Path(html_path)
    page = html_path.read_text(encoding="utf-8")
    marker = "</body>"
    checked = page.replace(marker, _CHECK_SCRIPT + marker, 1) if marker in page \
        else page + _CHECK_SCRIPT
    with tempfile.TemporaryDirectory(prefix="sdt-check-") as tmp:
        # A copy beside the original would see the same relative files; a report must not need
        # any, so the copy goes to an empty folder.
        copy = Path(tmp) / html_path.name
        copy.write_text(checked, encoding="utf-8")
        done = run_chromium(["--virtual-time-budget=10000", "--dump-dom", copy.as_uri()],
                         timeout=timeout)
    found = re.search(rf'<pre id="{_CHECK_ID}">(.*?)</pre>', done.stdout, re.DOTALL)
    if not found:
        raise UserError(f"{html_path}: Chromium returned no check result (exit {done.returncode}; "
                        f"{done.stderr.strip()[-300:]})")
    return json.loads(html_lib.unescape(found.group(1)))


def screenshot(html_path: str | Path, png_path: str | Path, *, width: int = 1280,
               height: int = 2400, timeout: float = 120) -> Path:
    """A PNG of the top `height` pixels of an HTML report as Chromium renders it."""
    png_path = Path(png_path).resolve()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    done = run_chromium([f"--window-size={width},{height}", "--virtual-time-budget=10000",
                      f"--screenshot={png_path}", Path(html_path).resolve().as_uri()],
                     timeout=timeout)
    if not png_path.exists():
        raise UserError(f"{html_path}: Chromium made no screenshot (exit {done.returncode}; "
                        f"{done.stderr.strip()[-300:]})")
    return png_path
