"""What reading one file may cost (conversion, rendering, OCR), and who hears of its progress.

A value object of its own so that every reader (loaders, ofd, ocr) takes it without importing the
others; its defaults are the settings' (``ReadingSettings``), so a reader called without settings
keeps the same bounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..settings import ReadingSettings

_DEFAULTS = ReadingSettings.model_fields


@dataclass
class ReadOptions:
    """Limits and helpers for the formats that cost real work (conversion, OCR)."""

    max_bytes: int | None = None
    max_pixels: int = _DEFAULTS["max_image_pixels"].default  # an A3 page at 600 dpi is 70 MP; a 30,000² PNG bomb is 900 MP
    max_pages: int = _DEFAULTS["max_pdf_pages"].default
    ocr_dpi: int = _DEFAULTS["ocr_dpi"].default
    convert_timeout: float = _DEFAULTS["convert_timeout"].default
    libreoffice: str = _DEFAULTS["libreoffice"].default
    # (what, done, total) as pages are recognised; may raise (e.g. to cancel) between pages
    progress: Callable[[str, int, int], None] | None = None

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> "ReadOptions":
        return cls(
            max_bytes=int(settings.max_file_mb * 2**20),
            max_pixels=settings.max_image_pixels,
            max_pages=settings.max_pdf_pages,
            ocr_dpi=settings.ocr_dpi,
            convert_timeout=settings.convert_timeout,
            libreoffice=settings.libreoffice,
            **overrides,
        )

    def report(self, what: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(what, done, total)
