"""Fetch the pages' libraries from the npm registry and copy their built files into `api/static/vendor/`.

Run by `make` at install time (`python3 frontend/build.py`); the app then serves them under
`/static/vendor/`, so no page needs a CDN at run time. `api/static/vendor/` is generated and git-ignored;
nothing from `node_modules` is committed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

FRONTEND = Path(__file__).resolve().parent
VENDOR = FRONTEND.parent / "api" / "static" / "vendor"

# package -> (files or folders under node_modules/<package>, copied to vendor/<package>/ by base name)
FILES: dict[str, tuple[str, ...]] = {
    "leaflet": ("dist/leaflet.js", "dist/leaflet.css", "dist/images", "LICENSE"),
    "chart.js": ("dist/chart.umd.min.js", "LICENSE.md"),
}


def install(npm: str) -> None:
    """`npm ci` against the lock file (reproducible); `npm install` when there is no lock yet."""
    command = "ci" if (FRONTEND / "package-lock.json").exists() else "install"
    subprocess.run([npm, command, "--ignore-scripts", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)


def copy_vendor(modules: Path, vendor: Path) -> dict[str, str]:
    """Replace `vendor` with the listed files; returns each package's installed version."""
    if vendor.exists():
        shutil.rmtree(vendor)
    versions = {}
    for package, paths in FILES.items():
        source, target = modules / package, vendor / package
        target.mkdir(parents=True)
        for relative in paths:
            found = source / relative
            if found.is_dir():
                shutil.copytree(found, target / found.name)
            elif found.is_file():
                shutil.copy2(found, target / found.name)
            else:
                raise SystemExit(f"build.py: {package} has no {relative} (did its layout change?)")
        versions[package] = json.loads((source / "package.json").read_text(encoding="utf-8"))["version"]
    (vendor / "versions.json").write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    return versions


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-npm", action="store_true", help="copy from an existing node_modules only")
    parser.add_argument("--npm", default="npm", help="the npm executable")
    args = parser.parse_args(argv)
    if not args.skip_npm:
        if shutil.which(args.npm) is None:
            print("build.py: npm not found; install Node.js 18+ (with npm) first", file=sys.stderr)
            return 1
        install(args.npm)
    versions = copy_vendor(FRONTEND / "node_modules", VENDOR)
    print("vendor: " + ", ".join(f"{name} {version}" for name, version in sorted(versions.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
