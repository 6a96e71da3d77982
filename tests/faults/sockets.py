"""Raw TCP servers on 127.0.0.1 for faults ``tests.feeds.server`` (a well-behaved ``http.server``) cannot
produce: a connection reset in the middle of a body, a server that drips its whole answer (status line and
headers too) a byte at a time, a plain-TCP server spoken to with https://, and a real TLS server whose
certificate is self-signed (made at test time with the ``openssl`` command).

Each server answers every connection with the same behaviour, in a daemon thread per connection, and stops
(closing every socket it opened) when its context manager exits.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import struct
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

Behaviour = Callable[[socket.socket, threading.Event], None]


def _read_request(conn: socket.socket) -> bytes:
    """Read up to the end of the request headers (or whatever arrives before the peer stops)."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


@contextmanager
def raw_server(behaviour: Behaviour, *, wrap: ssl.SSLContext | None = None) -> Iterator[int]:
    """Serve ``behaviour(conn, stopping)`` on an ephemeral port of 127.0.0.1; yields the port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    port = listener.getsockname()[1]
    stopping = threading.Event()
    connections: list[socket.socket] = []

    def handle(conn: socket.socket) -> None:
        try:
            if wrap is not None:
                conn = wrap.wrap_socket(conn, server_side=True)
                connections.append(conn)
            behaviour(conn, stopping)
        except (OSError, ssl.SSLError):
            pass  # the client gave up or failed the handshake: that is the point of these servers
        finally:
            conn.close()

    def accept() -> None:
        while not stopping.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(10)
            connections.append(conn)
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stopping.set()
        thread.join(5)
        listener.close()
        for conn in connections:
            conn.close()


def reset_mid_body(body: bytes) -> Behaviour:
    """Promise ``len(body)`` bytes, send half of them, then reset the connection (RST, not a clean close)."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        _read_request(conn)
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        conn.sendall(head + body[: len(body) // 2])
        stopping.wait(0.2)  # let the client start reading the body before the reset
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    return behave


def drip(answer: bytes, every: float = 1.0) -> Behaviour:
    """Send the whole answer, status line first, one byte every ``every`` seconds: never silent for long
    enough to trip a read timeout, so only a total time limit ends it."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        _read_request(conn)
        for i in range(len(answer)):
            conn.sendall(answer[i:i + 1])
            if stopping.wait(every):
                return

    return behave


def plain_http(answer: bytes) -> Behaviour:
    """Answer whatever arrives (a TLS ClientHello, when spoken to with https://) with plain HTTP bytes."""

    def behave(conn: socket.socket, stopping: threading.Event) -> None:
        conn.recv(4096)
        conn.sendall(answer)

    return behave


def hold(conn: socket.socket, stopping: threading.Event) -> None:
    """Read the request and keep the connection open until the server stops (the TLS server's answer is
    never reached: the handshake fails first)."""
    _read_request(conn)
    stopping.wait(10)


def self_signed_context(folder: Path) -> ssl.SSLContext | None:
    """A server-side TLS context with a certificate for 127.0.0.1 signed by itself, made with the openssl
    command; None where openssl is not installed."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
