"""Fetch feed and page bytes: http(s) with httpx, ``file://`` URLs and local paths, within hard limits.

Politeness and safety, each from the settings: at most ``jobs`` fetches at once overall and ``per_host``
per host; connect and read timeouts plus a total per fetch (so a server that drips a byte a second is
cut off); at most ``MAX_REDIRECTS`` redirects, with loops detected and a chain of permanent redirects
reported so the stored URL can follow it; conditional GET with the stored ETag and Last-Modified; an
honest User-Agent; ``Retry-After`` on 429 and 503 honoured once when the wait is at most
``MAX_RETRY_AFTER`` seconds (and reported), refused with a clear reason when it is longer.

Bodies are read as a stream of raw bytes and decompressed here (gzip, deflate, and brotli), in steps of
at most ``CHUNK`` bytes, counting both the compressed and the decompressed size against
``max_feed_bytes``: a compression bomb is refused after a few megabytes of work and memory, never
inflated. (httpx's own decoders inflate a whole network chunk at once, which for a 64 KB chunk of zeros
is 64 MB.)

Local files use the same interface; their modification time and size stand in for Last-Modified, so an
unchanged file is reported as unchanged. ``offline`` refuses every network URL with a clear message.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal, Protocol
from urllib.parse import unquote, urljoin, urlsplit

from reader import __version__
from reader.errors import FetchError
from reader.feeds.build import clean_line

if TYPE_CHECKING:
    import httpx

    from reader.config import Settings

__all__ = ["CHUNK", "MAX_REDIRECTS", "MAX_RETRY_AFTER", "FetchResult", "Fetcher", "is_local", "local_path"]

MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 30.0
"""Longest ``Retry-After`` Khabar waits, in seconds; a longer one fails the fetch with the server's reason."""
CHUNK = 256 * 1024
"""Largest piece a decompressor may produce at once: bounds memory during decompression."""
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one successful fetch (failures raise ``FetchError``)."""

    url: str
    """The URL that was asked for."""
    status: Literal["ok", "unchanged"]
    content: bytes = b""
    content_type: str | None = None
    final_url: str = ""
    """Where the content came from after redirects (the base for relative links)."""
    moved_to: str | None = None
    """Set when every redirect on the way was permanent (301/308): the feed's new address."""
    etag: str | None = None
    last_modified: str | None = None
    waited: float = 0.0
    """Seconds spent honouring a ``Retry-After``."""
    notes: tuple[str, ...] = field(default=())


def is_local(url: str) -> bool:
    """Whether ``url`` names a local file (``file://`` or a path) rather than a network resource."""
    scheme = urlsplit(url).scheme.lower()
    return scheme == "file" or scheme == "" or (len(scheme) == 1 and url[1:3] in (":\\", ":/"))


def local_path(url: str) -> Path:
    """The filesystem path of a local feed URL."""
    if url.lower().startswith("file:"):
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchError(f"file URL on another host is not supported: {clean_line(url)}")
        return Path(unquote(parts.path))
    return Path(url).expanduser()


class _Decoder(Protocol):
    def feed(self, data: bytes) -> Iterator[bytes]: ...


class _ZlibDecoder:
    """gzip, zlib or raw deflate, producing at most CHUNK bytes per step."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._d: zlib._Decompress | None = None
        if kind == "gzip":
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._d is None:
            if not data:
                return
            # "deflate" should be zlib-wrapped; many servers send raw deflate. The zlib header tells.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self._d = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            yield self._d.decompress(data, CHUNK)
            while self._d.unconsumed_tail:
                yield self._d.decompress(self._d.unconsumed_tail, CHUNK)
        except zlib.error as exc:
            raise FetchError(f"corrupt {self.kind} response: {exc}") from None


class _BrotliDecoder:
    def __init__(self) -> None:
        import brotli  # type: ignore[import-untyped, unused-ignore]

        self._brotli = brotli
        self._d = brotli.Decompressor()

    def feed(self, data: bytes) -> Iterator[bytes]:
        try:
            yield self._d.process(data, output_buffer_limit=CHUNK)
            while not self._d.can_accept_more_data():
                yield self._d.process(b"", output_buffer_limit=CHUNK)
        except self._brotli.error as exc:
            raise FetchError(f"corrupt brotli response: {exc}") from None


def _brotli_available() -> bool:
    try:
        import brotli  # type: ignore[import-untyped, unused-ignore]  # noqa: F401
    except ImportError:
        return False
    return True


def _decoders(content_encoding: str) -> list[_Decoder]:
    """Decoders for a Content-Encoding header, in the order to apply them (the reverse of the header)."""
    decoders: list[_Decoder] = []
    names = [part.strip().lower() for part in content_encoding.split(",") if part.strip()]
    if len(names) > 3:
        raise FetchError(f"{len(names)} stacked Content-Encodings refused")
    for name in reversed(names):
        if name in ("identity", ""):
            continue
        if name in ("gzip", "x-gzip"):
            decoders.append(_ZlibDecoder("gzip"))
        elif name == "deflate":
            decoders.append(_ZlibDecoder("deflate"))
        elif name == "br" and _brotli_available():
            decoders.append(_BrotliDecoder())
        else:
            raise FetchError(f"unsupported Content-Encoding {clean_line(name, 40)!r}")
    return decoders


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(when.timestamp() - time.time(), 0.0)


class Fetcher:
    """Fetches many URLs concurrently within the limits in the module docstring. Use as an async context
    manager; ``fetch`` may be called from many tasks at once."""

    def __init__(self, settings: Settings, *, offline: bool = False, jobs: int | None = None,
                 max_retry_after: float = MAX_RETRY_AFTER) -> None:
        self.settings = settings
        self.offline = offline
        self.jobs = max(jobs or settings.jobs, 1)
        self.max_retry_after = max_retry_after
        self.user_agent = settings.user_agent or f"khabar/{__version__} (terminal news reader)"
        self._client: httpx.AsyncClient | None = None
        self._slots: asyncio.Semaphore | None = None
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _http_client(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            s = self.settings
            self._client = httpx.AsyncClient(
                timeout=httpx.Timeout(connect=s.connect_timeout, read=s.read_timeout, write=s.read_timeout,
                                      pool=s.feed_timeout),
                limits=httpx.Limits(max_connections=self.jobs, max_keepalive_connections=self.jobs),
                follow_redirects=False,
                headers={"User-Agent": self.user_agent,
                         "Accept-Encoding": "gzip, deflate, br" if _brotli_available() else "gzip, deflate",
                         "Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                                   "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"},
            )
        return self._client

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None
                    ) -> FetchResult:
        """Fetch ``url``; ``FetchError`` with a one-line, sanitised reason when that is impossible."""
        if is_local(url):
            return await asyncio.to_thread(self._read_file, url, last_modified)
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"unsupported URL scheme {clean_line(scheme, 20)!r}")
        if self.offline:
            raise FetchError(f"offline: not fetching {clean_line(url, 200)} (--offline)")
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.jobs)
        host = (urlsplit(url).hostname or "").lower()
        host_slots = self._hosts.setdefault(host, asyncio.Semaphore(max(self.settings.per_host, 1)))
        async with host_slots:
            try:
                async with asyncio.timeout(self.settings.feed_timeout):
                    return await self._fetch_http(url, etag, last_modified)
            except TimeoutError:
                raise FetchError(f"took longer than {self.settings.feed_timeout:g} s in all") from None

    def _read_file(self, url: str, last_modified: str | None) -> FetchResult:
        path = local_path(url)
        try:
            stat = path.stat()
            validator = f"mtime:{stat.st_mtime_ns}:{stat.st_size}"
            if last_modified == validator:
                return FetchResult(url, "unchanged", final_url=url, last_modified=validator)
            if stat.st_size > self.settings.max_feed_bytes:
                raise FetchError(f"file is larger than {self.settings.max_feed_bytes} bytes")
            with path.open("rb") as handle:
                content = handle.read(self.settings.max_feed_bytes + 1)
        except FetchError:
            raise
        except IsADirectoryError:
            raise FetchError(f"{clean_line(str(path))} is a directory") from None
        except OSError as exc:
            raise FetchError(f"cannot read {clean_line(str(path))}: {exc.strerror or exc}") from None
        if len(content) > self.settings.max_feed_bytes:
            raise FetchError(f"file is larger than {self.settings.max_feed_bytes} bytes")
        return FetchResult(url, "ok", content, None, final_url=url, last_modified=validator)

    async def _fetch_http(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        import httpx

        waited = 0.0
        notes: list[str] = []
        for attempt in range(2):
            try:
                result = await self._follow(url, etag, last_modified)
            except _RetryLater as retry:
                if attempt == 0 and retry.delay is not None and retry.delay <= self.max_retry_after:
                    notes.append(f"HTTP {retry.status}: waited {retry.delay:g} s as the server asked")
                    await asyncio.sleep(retry.delay)
                    waited += retry.delay
                    continue
                raise FetchError(retry.reason(self.max_retry_after, attempt)) from None
            except httpx.ConnectTimeout:
                raise FetchError(f"could not connect within {self.settings.connect_timeout:g} s") from None
            except httpx.ReadTimeout:
                raise FetchError(f"no data for {self.settings.read_timeout:g} s") from None
            except httpx.TimeoutException as exc:
                raise FetchError(f"timed out: {clean_line(str(exc), 200) or type(exc).__name__}") from None
            except httpx.ConnectError as exc:
                text = clean_line(str(exc), 200)
                if "SSL" in text or "certificate" in text:
                    raise FetchError(f"TLS failure: {text}") from None
                raise FetchError(f"cannot connect: {_os_reason(exc) or text or type(exc).__name__}") from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                reason = _os_reason(exc) or clean_line(str(exc), 200) or type(exc).__name__
                raise FetchError(f"connection broken: {reason}") from None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
                raise FetchError(f"bad URL: {clean_line(str(exc), 200)}") from None
            except httpx.HTTPError as exc:
                raise FetchError(f"{type(exc).__name__}: {clean_line(str(exc), 200)}") from None
            if notes or waited:
                return FetchResult(result.url, result.status, result.content, result.content_type,
                                   final_url=result.final_url, moved_to=result.moved_to, etag=result.etag,
                                   last_modified=result.last_modified, waited=waited,
                                   notes=tuple(notes) + result.notes)
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    async def _follow(self, url: str, etag: str | None, last_modified: str | None) -> FetchResult:
        """GET ``url`` following at most MAX_REDIRECTS redirects by hand (to count them, spot loops and
        know whether every hop was permanent)."""
        client = self._http_client()
        assert self._slots is not None
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current, seen, permanent = url, {url}, True
        for hop in range(MAX_REDIRECTS + 1):
            async with self._slots:
                request = client.build_request("GET", current, headers=headers)
                response = await client.send(request, stream=True)
                try:
                    status = response.status_code
                    if status in _REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(f"HTTP {status} redirect without a Location")
                        target = urljoin(current, location.strip())
                        if urlsplit(target).scheme.lower() not in ("http", "https"):
                            raise FetchError(f"redirect to a non-web URL: {clean_line(target, 200)}")
                        if target in seen:
                            raise FetchError(f"redirect loop at {clean_line(target, 200)}")
                        if hop == MAX_REDIRECTS:
                            raise FetchError(f"more than {MAX_REDIRECTS} redirects")
                        permanent = permanent and status in _PERMANENT
                        seen.add(target)
                        current = target
                        continue
                    moved = current if permanent and current != url else None
                    if status == 304:
                        return FetchResult(
                            url, "unchanged", final_url=current, moved_to=moved,
                            etag=response.headers.get("etag") or etag,
                            last_modified=response.headers.get("last-modified") or last_modified)
                    if status in (429, 503):
                        raise _RetryLater(status, _retry_after(response.headers.get("retry-after")),
                                          response.reason_phrase)
                    if status >= 400 or status < 200:
                        reason = clean_line(response.reason_phrase, 80)
                        raise FetchError(f"HTTP {status}{' ' + reason if reason else ''}")
                    content = await self._read_body(response)
                finally:
                    await response.aclose()
            return FetchResult(url, "ok", content, response.headers.get("content-type"), final_url=current,
                               moved_to=moved, etag=response.headers.get("etag"),
                               last_modified=response.headers.get("last-modified"))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _read_body(self, response: httpx.Response) -> bytes:
        """The body, decompressed, refusing anything over ``max_feed_bytes`` before or after inflation."""
        cap = self.settings.max_feed_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"response is {int(declared)} bytes, more than the {cap} bytes allowed")
        decoders = _decoders(response.headers.get("content-encoding", ""))
        body = bytearray()
        raw = 0
        async for chunk in response.aiter_raw():
            raw += len(chunk)
            if raw > cap:
                raise FetchError(f"response is larger than the {cap} bytes allowed")
            for piece in _decode(chunk, decoders):
                body += piece
                if len(body) > cap:
                    kind = "decompresses to more than" if decoders else "is larger than"
                    raise FetchError(f"response {kind} the {cap} bytes allowed")
        for piece in _decode(b"", decoders):
            body += piece
            if len(body) > cap:
                raise FetchError(f"response decompresses to more than the {cap} bytes allowed")
        return bytes(body)


def _os_reason(exc: BaseException) -> str | None:
    """The operating system's words for the socket error under an httpx error ("Connection refused",
    "Connection reset by peer"), which httpx's own message hides ("All connection attempts failed", or
    nothing at all); None when there is none. TLS errors are left to the caller, whose text says more."""
    cause = exc.__cause__ or exc.__context__
    for _ in range(10):  # the chain is short; the bound only guards against a cycle
        if cause is None:
            return None
        if isinstance(cause, OSError) and cause.errno is not None and type(cause).__module__ != "ssl":
            return os.strerror(cause.errno) if cause.errno > 0 else clean_line(str(cause.strerror), 200)
        cause = cause.__cause__ or cause.__context__
    return None


def _decode(data: bytes, decoders: list[_Decoder]) -> Iterator[bytes]:
    """Run ``data`` through the decoder chain, yielding bounded pieces of the final output."""
    if not decoders:
        if data:
            yield data
        return
    first, rest = decoders[0], decoders[1:]
    for piece in first.feed(data):
        if piece:
            yield from _decode(piece, rest)


class _RetryLater(Exception):
    """A 429 or 503 answer, with the server's requested delay if it gave one."""

    def __init__(self, status: int, delay: float | None, phrase: str) -> None:
        super().__init__(status)
        self.status = status
        self.delay = delay
        self.phrase = clean_line(phrase, 80)

    def reason(self, limit: float, attempt: int) -> str:
        head = f"HTTP {self.status}{' ' + self.phrase if self.phrase else ''}"
        if self.delay is None:
            return head
        if attempt:
            return f"{head} again after waiting as asked"
        return f"{head}: the server asks to retry after {self.delay:g} s (Khabar waits at most {limit:g} s)"
