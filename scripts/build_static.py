"""Copy the pinned front-end packages from node_modules into the static folder.

Run from the repository root: `.venv/bin/python scripts/build_static.py`.
The output folder is build output (gitignored): it is deleted and rebuilt each run.
"""

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "onestory" / "core" / "static" / "vendor"

GOVUK = Path("govuk-frontend")
MOJ = Path("@ministryofjustice/frontend")
HTMX = Path("htmx.org")

# (source under node_modules, destination under vendor). Each CSS file sits
# beside an assets/ folder, so its rewritten url(assets/...) resolves there.
FILES = [
    (GOVUK / "dist/govuk/govuk-frontend.min.css", "govuk/govuk-frontend.min.css"),
    (GOVUK / "dist/govuk/govuk-frontend.min.js", "govuk/govuk-frontend.min.js"),
    (MOJ / "moj/moj-frontend.min.css", "moj/moj-frontend.min.css"),
    (MOJ / "moj/moj-frontend.min.js", "moj/moj-frontend.min.js"),
    (HTMX / "dist/htmx.min.js", "htmx/htmx.min.js"),
]
FOLDERS = [
    (GOVUK / "dist/govuk/assets/fonts", "govuk/assets/fonts"),
    (GOVUK / "dist/govuk/assets/images", "govuk/assets/images"),
    (MOJ / "moj/assets/images", "moj/assets/images"),
]

ABSOLUTE_ASSET_URL = re.compile(r"""url\((["']?)/assets/""")
ANY_URL = re.compile(r"""url\((["']?)([^"')]+)\1\)""")
# Source maps are not copied, and a manifest static storage fails on a
# reference to a missing file, so the comments go too.
SOURCE_MAP_COMMENT = re.compile(r"\s*/[*/]# sourceMappingURL=[^\s*]+(\s*\*/)?\s*$")


def rewrite_asset_urls(css: str) -> str:
    """Make the packages' url(/assets/...) relative to the CSS file.

    The precompiled CSS assumes assets are served from the site root; ours are
    served under STATIC_URL, beside the CSS file.
    """
    return ABSOLUTE_ASSET_URL.sub(r"url(\1assets/", css)


def strip_source_map(text: str) -> str:
    return SOURCE_MAP_COMMENT.sub("\n", text)


def missing_css_references(css_file: Path) -> list[str]:
    """Every url() in a built CSS file that does not resolve to a copied file."""
    missing = []
    for _quote, url in ANY_URL.findall(css_file.read_text(encoding="utf-8")):
        if url.startswith("data:"):
            continue
        target = url.split("?")[0].split("#")[0]
        if url.startswith("/") or not (css_file.parent / target).is_file():
            missing.append(url)
    return missing


def copy_file(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix not in {".css", ".js"}:
        shutil.copy2(source, destination)
        return
    text = strip_source_map(source.read_text(encoding="utf-8"))
    if source.suffix == ".css":
        text = rewrite_asset_urls(text)
    destination.write_text(text, encoding="utf-8")


def package_version(package: Path, node_modules: Path) -> str:
    manifest = json.loads((node_modules / package / "package.json").read_text())
    return f"{package}@{manifest['version']}"


def build(node_modules: Path = NODE_MODULES, vendor: Path = VENDOR) -> int:
    """Rebuild the vendor folder; return the number of files written."""
    for package in (GOVUK, MOJ, HTMX):
        if not (node_modules / package).is_dir():
            raise SystemExit(f"{node_modules / package} is missing: run npm ci")
    shutil.rmtree(vendor, ignore_errors=True)
    for source, destination in FILES:
        copy_file(node_modules / source, vendor / destination)
    for source, destination in FOLDERS:
        shutil.copytree(node_modules / source, vendor / destination)
    for css_file in vendor.rglob("*.css"):
        if missing := missing_css_references(css_file):
            raise SystemExit(f"{css_file} refers to missing files: {missing}")
    (vendor / ".built").write_text("\n".join(versions(node_modules)) + "\n")
    return sum(1 for path in vendor.rglob("*") if path.is_file())


def versions(node_modules: Path) -> list[str]:
    return [package_version(p, node_modules) for p in (GOVUK, MOJ, HTMX)]


def main() -> None:
    count = build()
    print(
        f"Built {VENDOR.relative_to(ROOT)}: {count} files from "
        + ", ".join(versions(NODE_MODULES))
    )


if __name__ == "__main__":
    sys.exit(main())
