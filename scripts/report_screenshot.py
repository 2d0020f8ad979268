"""Take the README's screenshot of a region profile with headless Chromium.

.venv/bin/ris3 profile AT33 --out out/AT33
.venv/bin/python scripts/report_screenshot.py out/AT33/index.html docs/profile-AT33.png
"""

from __future__ import annotations

import sys

from ris3.report.browser import open_report


def main(html: str, png: str) -> int:
    check = open_report(html, screenshot=png, viewport=(1280, 1400))
    print(f"{len(check.rendered)}/{check.expected} charts drawn; ok={check.ok}; wrote {png}")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
