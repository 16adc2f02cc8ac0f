"""Serves the operator page at `/` and its assets under `/page/`, from files shipped in the package."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

STATIC = Path(__file__).parent / "static"
ASSET_PREFIX = "/page"
MEDIA_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
ASSETS = {path.name: MEDIA_TYPES[path.suffix] for path in STATIC.iterdir() if path.suffix in MEDIA_TYPES}
"""Asset name -> media type: the only files the page serves (no path from a request reaches the disk)."""

# The page loads nothing from another origin: scripts, styles, fetches and sockets go to this server only;
# camera frames are blob URLs made from fetched snapshots.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
}

router = APIRouter(include_in_schema=False)


def asset_response(name: str) -> FileResponse:
    """One shipped file with its media type and the page's headers."""
    return FileResponse(STATIC / name, media_type=ASSETS[name], headers=HEADERS)


@router.get("/", include_in_schema=False)
def operator_page() -> FileResponse:
    """The operator page."""
    return asset_response("index.html")


@router.get(ASSET_PREFIX + "/{name}", include_in_schema=False)
def page_asset(name: str) -> FileResponse:
    """A script or style of the page; any other name is 404."""
    if name not in ASSETS or name == "index.html":
        raise HTTPException(status_code=404, detail="Нет такого файла страницы")
    return asset_response(name)
