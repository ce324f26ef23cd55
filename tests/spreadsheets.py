"""LibreOffice headless, the real spreadsheet client, for the export checks."""

from __future__ import annotations

import shutil
import subprocess

CSV_FILTER = "Text - txt - csv (StarCalc):59,34,76,1"  # `;`, `"`, UTF-8, from line 1


def convert(folder, name: str, *options: str) -> None:
    """Open `folder/name` in LibreOffice and save it under folder/out as the options say."""
    profile = f"-env:UserInstallation=file://{folder}/lo"  # a profile of its own, no locks
    command = [shutil.which("soffice") or "soffice", "--headless", "--norestore", profile]
    subprocess.run(
        [*command, *options, "--outdir", str(folder / "out"), str(folder / name)],
        check=True,
        capture_output=True,
        timeout=120,
    )
