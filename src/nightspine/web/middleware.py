"""A Content-Security-Policy on every response: only our own scripts, styles and images."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


# --- health data is never cached ---------------------------------------------------------------

NO_STORE = "no-store"


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer except static files and the health check.

    Pages and API answers hold health data (scores, answers, notes) or are personal; a shared
    or back-button cache must not keep them (OWASP ASVS 8.2.1). Static files are public and
    fingerprinted, so they keep their long cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(_static_prefix()):
            response.headers["Cache-Control"] = NO_STORE
            response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches
        return response


def _static_prefix() -> str:
    from django.conf import settings

    return "/" + str(settings.STATIC_URL).lstrip("/")


# --- a full disk and out-of-range ids are answers, not 500s ----------------------------------

_FULL_DISK_TEXTS = ("database or disk is full", "no space left on device", "could not extend file")


def is_storage_full(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says the disk or database is full."""
    import errno

    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            return True
        if getattr(current, "pgcode", None) == "53100":  # PostgreSQL disk_full
            return True
        text = str(current).lower()
        if any(phrase in text for phrase in _FULL_DISK_TEXTS):
            return True
        current = current.__cause__ or current.__context__
    return False


STORAGE_FULL_MESSAGE = (
    "nightspine cannot save anything right now because its storage is full. Nothing you "
    "already saved is lost. Please try again later; the service's operator has been told."
)


def wants_json(request: HttpRequest) -> bool:
    """API paths and clients that ask for JSON get JSON errors; people get pages."""
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


class StorageErrorMiddleware:
    """A full disk is a 503 (JSON on the API, a page for people), logged once for operators;
    an id too large for the database (SQLite's 64-bit integers) is a 404, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        import logging

        if is_storage_full(exception):
            logging.getLogger("nightspine.web").error(
                "storage full", extra={"path": request.path, "error": type(exception).__name__}
            )
            response = _error(request, 503, "Storage full", STORAGE_FULL_MESSAGE)
            response.headers["Retry-After"] = "300"
            return response
        if isinstance(exception, OverflowError):
            return _error(
                request, 404, "Not found", "No record has that number; check the address."
            )
        return None


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    from django.http import JsonResponse
    from django.shortcuts import render

    if wants_json(request):
        return JsonResponse({"detail": message, "problems": []}, status=status)
    return render(
        request, "nightspine/error.html", {"title": title, "message": message}, status=status
    )
