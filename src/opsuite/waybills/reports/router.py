"""Exports and reports (filled in by the reports service)."""

from fastapi import APIRouter

router = APIRouter()
