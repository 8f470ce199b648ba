"""The HTTP server: HTTP/1.1 (RFC 9112) for a WSGI application (PEP 3333), a thread per connection.

Each connection has its own thread, which reads a request, calls the application and writes the
answer itself: a request costs one wake-up of one thread, with no handoff between an event loop
and a pool of task threads (which took about 0.3 ms a request, as much as a small query). The
costs a client can cause are bounded before they are paid:

* **connections**: at most ``connection_limit`` open in all (beyond it, new ones wait in the
  listen backlog) and ``max_client_connections`` per client address (one more is answered
  ``429`` and closed);
* **time**: a connection with no request in progress is closed after ``idle_timeout`` seconds; a
  request's head and body must arrive within ``request_read_timeout`` seconds of its first byte
  (a client sending a header line every few seconds is disconnected); a client that does not read
  its answer for ``idle_timeout`` seconds is disconnected;
* **size**: a request head over ``max_header_bytes`` is a ``431``, a body over ``max_body_bytes``
  a ``413`` answered from ``Content-Length`` before the body is read (a chunked body is counted as
  it arrives);
* **work**: at most ``max_active`` requests are inside the application at once; the others wait
  for their turn, holding only their thread.

Requests are read strictly: a malformed request line or header field, or a body framed both by
``Content-Length`` and ``Transfer-Encoding`` (request smuggling, RFC 9112 §6.3), is a ``400``;
a transfer coding other than ``chunked`` a ``501``; a version other than HTTP/1.0 and 1.1 a
``505``. The body is read in full (it is bounded) before the application is called, after a
``100 Continue`` if the client asked for one (RFC 9110 §10.1.1).

:meth:`HttpServer.serve_until_stopped` serves until ``SIGTERM`` (a graceful drain: stop
accepting, finish the requests in progress, at most ``drain_timeout`` seconds) or ``SIGINT``.

Only :mod:`conflict_graph.web` imports this module.
"""

from __future__ import annotations

import errno
import io
import logging
import os
import re
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any
from urllib.parse import unquote_to_bytes

from ..errors import SettingError

__all__ = ["HttpServer", "Limits", "bind"]

log = logging.getLogger(__name__)

SERVER_SOFTWARE = "conflict-graph"
#: Bytes asked of the socket at once.
RECEIVE_SIZE = 65_536
#: Seconds between two looks at the stop flag while nothing else happens.
POLL_INTERVAL = 0.2
#: Seconds a connection may keep its core waiting for its next request (see
#: :meth:`HttpServer.spin_for_next_request`).
SPIN_SECONDS = 0.001
#: Bytes of chunk framing (size lines, extensions) a chunked body may add beyond its data.
CHUNK_FRAMING_BYTES = 65_536

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(rb"HTTP/(\d)\.(\d)")
_FIELD_VALUE_FORBIDDEN = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")
_HEX = re.compile(rb"[0-9A-Fa-f]+")
_ABSOLUTE_FORM = re.compile(rb"[A-Za-z][A-Za-z0-9+.\-]*://([^/?#]*)")
_REASONS = {100: "Continue", 400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large",
            429: "Too Many Requests", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
            501: "Not Implemented", 505: "HTTP Version Not Supported"}
_NO_BODY_STATUSES = frozenset({204, 304})

StartResponse = Callable[..., Any]
Application = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (0 picks a free port).

    Raises:
        SettingError: the address cannot be used (port in use, unknown host, no permission).
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as exc:
        raise SettingError(f"--host {host}: cannot listen on this address ({exc})") from None
    listener = socket.socket(family, kind, proto)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(address)
        listener.listen(1024)
    except OSError as exc:
        listener.close()
        reason = "the port is in use" if exc.errno == errno.EADDRINUSE else exc.strerror or str(exc)
        raise SettingError(f"cannot listen on {host}:{port}: {reason} (choose another with --port, "
                           "or --port 0 for a free one)") from None
    return listener


@dataclass(frozen=True)
class Limits:
    """What one server lets its clients cost (see the module's docstring)."""

    connection_limit: int = 1000
    max_client_connections: int = 64
    idle_timeout: float = 30.0
    request_read_timeout: float = 30.0
    max_header_bytes: int = 65_536
    max_body_bytes: int = 1024 * 1024
    max_active: int = 64


class _Refusal(Exception):
    """The request cannot be read: answer ``status`` with ``message`` and close the connection."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class _Gone(Exception):
    """The client went away, stayed silent too long, or sent too slowly: close without answering."""


@dataclass
class _Request:
    method: str
    target: bytes
    version: tuple[int, int]
    headers: dict[str, str]
    body: bytes

    @property
    def keep_alive(self) -> bool:
        tokens = {token.strip().lower() for token in self.headers.get("CONNECTION", "").split(",")}
        if self.version >= (1, 1):
            return "close" not in tokens
        return "keep-alive" in tokens


class HttpServer:
    """Serve ``app`` on ``listener`` (already bound and listening) within ``limits``."""

    def __init__(self, app: Application, listener: socket.socket, limits: Limits) -> None:
        self.app = app
        self.listener = listener
        self.limits = limits
        self.refused_connections = 0
        host, port = listener.getsockname()[:2]
        self.effective_host, self.effective_port = host, port
        self._base_environ = {
            "SERVER_NAME": str(host), "SERVER_PORT": str(port), "SCRIPT_NAME": "",
            "SERVER_SOFTWARE": SERVER_SOFTWARE, "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
            "wsgi.run_once": False, "wsgi.input_terminated": True,
        }
        self._lock = threading.Lock()
        self._slot_freed = threading.Condition(self._lock)
        self._connections: dict[socket.socket, _Connection] = {}
        self._per_address: dict[str, int] = {}
        self._active = threading.BoundedSemaphore(limits.max_active)
        self._stopping = threading.Event()
        self._date = (0, "")
        self._in_flight = 0  # requests inside the application
        self._spinner = threading.Lock()

    # --- the accepting side ---------------------------------------------------------------------

    def serve_until_stopped(self, drain_timeout: float) -> str:
        """Serve until ``SIGTERM`` (drain, then return) or ``SIGINT``.

        Returns ``"drained"``, ``"drain timed out"`` or ``"interrupted"``.
        """
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: self.stop())
        try:
            self.serve()
        except KeyboardInterrupt:
            self._close_all()
            return "interrupted"
        finally:
            signal.signal(signal.SIGTERM, previous)
        log.info("SIGTERM: refusing new connections, finishing the requests in progress")
        return self.drain(drain_timeout)

    def stop(self) -> None:
        """Stop accepting connections (from any thread): within :data:`POLL_INTERVAL` seconds
        :meth:`serve` takes the connections already waiting in the listen backlog, closes the
        listening socket and returns."""
        self._stopping.set()

    def serve(self) -> None:
        """Accept connections, each served by a thread of its own, until :meth:`stop`; then close
        the listening socket (the connections already open are served on: see :meth:`drain`)."""
        self.listener.settimeout(POLL_INTERVAL)
        while not self._stopping.is_set():
            with self._lock:
                while len(self._connections) >= self.limits.connection_limit and not self._stopping.is_set():
                    self._slot_freed.wait(POLL_INTERVAL)
            if self._stopping.is_set():
                break
            try:
                sock, address = self.listener.accept()
            except (TimeoutError, InterruptedError):
                continue
            except OSError as exc:  # out of file descriptors, a connection reset before accept
                if self._stopping.is_set():
                    break
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    log.warning("cannot accept a connection: %s", exc.strerror)
                    time.sleep(POLL_INTERVAL)
                continue
            self._admit(sock, address)
        self._admit_backlog()
        self.listener.close()

    def _admit_backlog(self) -> None:
        """Take the connections a client opened before the stop (closing the listening socket
        would reset them); those beyond the connection limit are refused as usual."""
        self.listener.setblocking(False)
        while True:
            try:
                sock, address = self.listener.accept()
            except OSError:  # the backlog is empty (or the socket is gone)
                return
            sock.setblocking(True)
            self._admit(sock, address)

    def _admit(self, sock: socket.socket, address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else str(address)
        with self._lock:
            crowded = self._per_address.get(host, 0) >= self.limits.max_client_connections
            if not crowded:
                self._per_address[host] = self._per_address.get(host, 0) + 1
                connection = _Connection(self, sock, address)
                self._connections[sock] = connection
        if crowded:
            self.refused_connections += 1
            _refuse_crowded(sock)
            return
        try:
            threading.Thread(target=connection.run, name="http-connection", daemon=True).start()
        except RuntimeError:  # no more threads: this connection cannot be served
            log.warning("cannot start a thread for a new connection")
            self._forget(connection)
            sock.close()

    def _forget(self, connection: _Connection) -> None:
        with self._lock:
            self._connections.pop(connection.sock, None)
            left = self._per_address.get(connection.host, 1) - 1
            if left > 0:
                self._per_address[connection.host] = left
            else:
                self._per_address.pop(connection.host, None)
            self._slot_freed.notify()

    # --- stopping -------------------------------------------------------------------------------

    def drain(self, timeout: float) -> str:
        """Stop accepting; answer the requests in progress, and those sent meanwhile on open
        connections (each answer says ``Connection: close``); once none is in progress (or after
        ``timeout`` seconds), close the connections left idle.

        Idle connections are closed last, not first: a client that connected just before the
        stop may not have sent its request yet, and closing its connection would lose it.
        """
        self.stop()
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                connections = list(self._connections.values())
            if not any(connection.busy or connection.request_waiting() for connection in connections):
                outcome = "drained"
                break
            if time.monotonic() >= deadline:
                outcome = "drain timed out"
                break
            time.sleep(0.05)
        for connection in connections:
            connection.close_if_idle()
        return outcome

    def _close_all(self) -> None:
        self._stopping.set()
        with self._lock:
            connections = list(self._connections.values())
        for connection in connections:
            connection.shut()

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._connections)

    # --- helpers for connections ----------------------------------------------------------------

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def spin_for_next_request(self, sock: socket.socket) -> None:
        """While no request is being answered, keep the core for up to :data:`SPIN_SECONDS`
        waiting for the next request on ``sock`` before its thread sleeps.

        A thread that sleeps in ``recv`` lets its core go idle, and waking it costs tens of
        microseconds on a virtual machine, plus cold caches: a client sending its requests one
        after the other (a script, a benchmark) would pay that on every request. Only one
        connection spins at a time, only when nothing else is answered, and ``sched_yield``
        gives the core to anything else runnable.

        The connection may be closed by another thread meanwhile (the server stopping): a socket
        already closed has no descriptor and nothing is waited for; one closed while the core is
        kept makes ``poll`` report ``POLLNVAL``, which ends the wait.
        """
        descriptor = sock.fileno()
        if descriptor < 0 or self._in_flight or not self._spinner.acquire(blocking=False):
            return
        try:
            poller = select.poll()
            poller.register(descriptor, select.POLLIN)
            end = time.perf_counter() + SPIN_SECONDS
            while not poller.poll(0) and not self._in_flight and time.perf_counter() < end:
                os.sched_yield()
        finally:
            self._spinner.release()

    def http_date(self) -> str:
        """The ``Date`` header's value (RFC 9110 §6.6.1), formatted once a second."""
        now = int(time.time())
        if self._date[0] != now:
            self._date = (now, formatdate(now, usegmt=True))
        return self._date[1]

    def environ(self, request: _Request, connection: _Connection) -> dict[str, Any]:
        """The WSGI environment of ``request`` (PEP 3333, "environ Variables")."""
        target = request.target
        authority = b""
        if not target.startswith(b"/"):  # absolute-form (RFC 9112 §3.2.2) or asterisk-form
            match = _ABSOLUTE_FORM.match(target)
            if match:
                target, authority = target[match.end():], match[1].rpartition(b"@")[2]
            if not target.startswith(b"/"):
                target = b"/" + target if target != b"*" else b"*"
        path, _, query = target.partition(b"?")
        path = path.partition(b"#")[0]
        environ = dict(self._base_environ)
        environ.update({
            "REQUEST_METHOD": request.method,
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query.partition(b"#")[0].decode("latin-1"),
            "REQUEST_URI": request.target.decode("latin-1"),
            "RAW_URI": request.target.decode("latin-1"),
            "SERVER_PROTOCOL": f"HTTP/{request.version[0]}.{request.version[1]}",
            "REMOTE_ADDR": connection.host,
            "REMOTE_PORT": str(connection.port),
            "wsgi.input": io.BytesIO(request.body),
        })
        for name, value in request.headers.items():
            if name == "CONTENT_TYPE" or name == "CONTENT_LENGTH":
                environ[name] = value
            elif name != "TRANSFER_ENCODING":  # the body is already decoded
                environ["HTTP_" + name] = value
        if "TRANSFER_ENCODING" in request.headers:
            environ["CONTENT_LENGTH"] = str(len(request.body))
        if authority:  # the target's host, not the Host field's (RFC 9112 §3.2.2)
            environ["HTTP_HOST"] = authority.decode("latin-1")
        return environ


class _Connection:
    """One client connection, served by its own thread until either side closes it."""

    def __init__(self, server: HttpServer, sock: socket.socket, address: Any) -> None:
        self.server = server
        self.sock = sock
        self.host = address[0] if isinstance(address, tuple) else str(address)
        self.port = address[1] if isinstance(address, tuple) and len(address) > 1 else 0
        self.busy = False  # a request has begun to arrive and is not answered yet
        self._buffer = b""
        self._state_lock = threading.Lock()
        self._closed = False
        self._head_sent = False

    def run(self) -> None:
        limits = self.server.limits
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        try:
            while True:  # an answer given while the server stops closes the connection
                try:
                    request = self._read_request(limits)
                except _Refusal as refusal:
                    self._send_plain(refusal.status, str(refusal))
                    return
                if request is None:
                    return
                keep_alive = self._answer(request)
                with self._state_lock:
                    self.busy = False
                if not keep_alive:
                    return
        except (_Gone, OSError):
            return
        finally:
            self.shut()
            self.server._forget(self)

    # --- reading ------------------------------------------------------------------------------

    def _receive(self, deadline: float, idle: float) -> bytes:
        """Bytes from the client, waiting at most until ``deadline`` (and ``idle`` seconds)."""
        wait = min(idle, deadline - time.monotonic())
        if wait <= 0:
            raise _Gone
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(RECEIVE_SIZE)
        except TimeoutError:
            raise _Gone from None
        if not data:
            raise _Gone
        return data

    def _read_request(self, limits: Limits) -> _Request | None:
        """The next request, or None when the connection ended cleanly between requests."""
        buffer = bytearray(self._buffer)  # appended to in place, searched only where it grew
        if buffer:  # the start of a pipelined request arrived with the previous one
            deadline = self._begin(limits)
        else:
            try:
                deadline = self._await_request(limits)
            except _Gone:
                return None
        searched = 0
        while True:
            end = buffer.find(b"\r\n\r\n", searched)
            if end >= 0:
                break
            searched = max(0, len(buffer) - 3)
            if len(buffer) > limits.max_header_bytes:
                raise _Refusal(431, "the request's header fields are larger than the server reads "
                                    f"({limits.max_header_bytes:,} bytes)")
            try:
                data = self._receive(deadline, limits.idle_timeout)
            except _Gone:
                if not buffer:
                    return None
                raise
            # RFC 9112 §2.2: empty lines before a request are ignored
            buffer += data.lstrip(b"\r\n") if not buffer else data
        if end > limits.max_header_bytes:
            raise _Refusal(431, "the request's header fields are larger than the server reads "
                                f"({limits.max_header_bytes:,} bytes)")
        head, rest = bytes(buffer[:end]), bytes(buffer[end + 4:])
        method, target, version, headers = _parse_head(head)
        body, rest = self._read_body(headers, rest, deadline, limits, version)
        self._buffer = rest
        return _Request(method, target, version, headers, body)

    def _await_request(self, limits: Limits) -> float:
        """Wait (at most ``idle_timeout``) until the next request begins to arrive, reading none
        of it, then :meth:`_begin` it: a drain closing idle connections meanwhile sees its bytes
        waiting (:meth:`request_waiting`) and leaves the connection to answer it.

        Raises:
            _Gone: the client closed the connection or sent nothing in time, or the drain closed it.
        """
        self.server.spin_for_next_request(self.sock)
        self.sock.settimeout(limits.idle_timeout)
        try:
            if not self.sock.recv(1, socket.MSG_PEEK):
                raise _Gone
        except TimeoutError:
            raise _Gone from None
        return self._begin(limits)

    def _begin(self, limits: Limits) -> float:
        """A request has begun to arrive: the connection is busy; the deadline to receive it."""
        with self._state_lock:
            if self._closed:
                raise _Gone
            self.busy = True
        return time.monotonic() + limits.request_read_timeout

    def _read_body(self, headers: dict[str, str], rest: bytes, deadline: float, limits: Limits,
                   version: tuple[int, int]) -> tuple[bytes, bytes]:
        coding = headers.get("TRANSFER_ENCODING")
        length_text = headers.get("CONTENT_LENGTH")
        if coding is not None:
            if length_text is not None:
                raise _Refusal(400, "the request has both Content-Length and Transfer-Encoding "
                                    "(RFC 9112 §6.3); send one")
            if version < (1, 1):
                raise _Refusal(400, "an HTTP/1.0 request has Transfer-Encoding, whose framing HTTP/1.0 "
                                    "does not define (RFC 9112 §6.1); send Content-Length")
            if coding.strip().lower() != "chunked":
                raise _Refusal(501, f"the transfer coding {coding.strip()[:40]!r} is not supported; "
                                    "send the body with Content-Length or chunked")
            self._continue(headers, version)
            return self._read_chunked(rest, deadline, limits)
        if length_text is None:
            return b"", rest
        if not length_text.isdigit() or not length_text.isascii():
            raise _Refusal(400, f"Content-Length {length_text[:40]!r} is not a number of bytes")
        length = int(length_text)
        if length > limits.max_body_bytes:
            raise _Refusal(413, f"the request body ({length:,} bytes) is larger than the server "
                                f"accepts ({limits.max_body_bytes:,} bytes)")
        if length > len(rest):
            self._continue(headers, version)
        received = bytearray(rest)  # appended to in place: a body sent in tiny pieces is not copied again
        while len(received) < length:
            received += self._receive(deadline, limits.idle_timeout)
        return bytes(received[:length]), bytes(received[length:])

    def _continue(self, headers: dict[str, str], version: tuple[int, int]) -> None:
        if version >= (1, 1) and headers.get("EXPECT", "").strip().lower() == "100-continue":
            self.sock.settimeout(self.server.limits.idle_timeout)
            self.sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _read_chunked(self, rest: bytes, deadline: float, limits: Limits) -> tuple[bytes, bytes]:
        """A chunked body (RFC 9112 §7.1), trailer fields read and dropped.

        The bytes received are read from a moving position, never copied again (a body sent as
        many tiny chunks costs what the bytes cost); the chunk framing may add at most
        :data:`CHUNK_FRAMING_BYTES` or as much as the body itself, the trailer section at most
        ``max_header_bytes``.
        """
        reader = _LineReader(bytearray(rest), lambda: self._receive(deadline, limits.idle_timeout))
        body = bytearray()
        while True:
            line = reader.line(1024, _Refusal(400, "a chunk size line is longer than 1,024 bytes"))
            size_text, _, extension = line.partition(b";")
            size_text = size_text.rstrip(b" \t")
            if not size_text or len(size_text) > 16 or not _HEX.fullmatch(size_text):
                raise _Refusal(400, "a chunk size is not a hexadecimal number (RFC 9112 §7.1)")
            if _FIELD_VALUE_FORBIDDEN.search(extension):
                raise _Refusal(400, "a chunk extension has a control character (RFC 9112 §7.1.1)")
            size = int(size_text, 16)
            if size == 0:
                break
            if len(body) + size > limits.max_body_bytes:
                raise _Refusal(413, "the request body is larger than the server accepts "
                                    f"({limits.max_body_bytes:,} bytes)")
            if reader.consumed - len(body) > max(CHUNK_FRAMING_BYTES, len(body)):
                raise _Refusal(413, "the request body's chunk framing is larger than its data; "
                                    "send larger chunks or Content-Length")
            data = reader.take(size + 2)
            if data[size:] != b"\r\n":
                raise _Refusal(400, "a chunk does not end with CRLF (RFC 9112 §7.1)")
            body += data[:size]
        trailers = 0
        too_large = _Refusal(431, "the request's trailer fields are too large")
        while line := reader.line(limits.max_header_bytes - trailers + 2, too_large):  # then the empty line
            trailers += len(line) + 2
            if trailers > limits.max_header_bytes:
                raise too_large
            name, colon, value = line.partition(b":")
            if not colon or not _TOKEN.fullmatch(name) or _FIELD_VALUE_FORBIDDEN.search(value):
                raise _Refusal(400, "a trailer field is not 'Name: value' (RFC 9112 §7.1.2)")
        return bytes(body), reader.remainder()

    # --- answering ----------------------------------------------------------------------------

    def _answer(self, request: _Request) -> bool:
        """Call the application and send its answer; True if the connection stays open."""
        server = self.server
        environ = server.environ(request, self)
        started: list[Any] = []
        self._head_sent = False  # this request's head: the previous one's says nothing of it

        def start_response(status: str, headers: list[tuple[str, str]],
                           exc_info: Any = None) -> Callable[[bytes], None]:
            if exc_info is not None and self._head_sent:  # too late to change (PEP 3333)
                raise exc_info[1].with_traceback(exc_info[2])
            started[:] = [status, headers]
            return written.append

        written: list[bytes] = []
        with server._active:
            with server._lock:
                server._in_flight += 1
            try:
                result = server.app(environ, start_response)
                if isinstance(result, list):
                    chunks: Iterable[bytes] = written + result
                else:
                    chunks = _chain(written, result)
            except Exception:  # a bug in the application: logged, answered 500
                log.exception("unexpected error answering %s %s", request.method, environ["PATH_INFO"])
                self._send_plain(500, "the server could not answer this request; the error is logged")
                return False
            finally:
                with server._lock:
                    server._in_flight -= 1
        keep_alive = request.keep_alive and not server.stopping
        try:
            return self._send(request, started, chunks, keep_alive)
        except (_Gone, OSError):
            raise
        except Exception:  # a bug while the answer was produced: logged, the connection closed
            log.exception("unexpected error answering %s %s", request.method, environ["PATH_INFO"])
            if not self._head_sent:
                self._send_plain(500, "the server could not answer this request; the error is logged")
            return False
        finally:
            _close_result(result, request.method, environ["PATH_INFO"])

    def _send(self, request: _Request, started: list[Any], chunks: Iterable[bytes], keep_alive: bool) -> bool:
        iterator = iter(chunks)
        first = b""
        for first in iterator:  # the application may call start_response only when iterated
            if first:
                break
        if not started:
            log.error("the application returned without starting a response")
            self._send_plain(500, "the server could not answer this request; the error is logged")
            return False
        status, headers = started
        code = int(status[:3])
        names = {name.lower() for name, _ in headers}
        for name, value in headers:
            if name.lower() == "connection" and "close" in value.lower():
                keep_alive = False
        no_body = request.method == "HEAD" or code in _NO_BODY_STATUSES or code < 200
        chunked = False
        rest: list[bytes] | None = None
        if "content-length" not in names and not no_body:
            if isinstance(chunks, list):
                rest = [chunk for chunk in iterator if chunk]
                headers = [*headers, ("Content-Length", str(len(first) + sum(map(len, rest))))]
            elif request.version >= (1, 1):
                chunked = True
                headers = [*headers, ("Transfer-Encoding", "chunked")]
            else:
                keep_alive = False
        lines = [f"HTTP/1.1 {status}\r\n"]
        lines.extend(f"{name}: {value}\r\n" for name, value in headers)
        if "date" not in names:
            lines.append(f"Date: {self.server.http_date()}\r\n")
        if "server" not in names:
            lines.append(f"Server: {SERVER_SOFTWARE}\r\n")
        if not keep_alive:
            lines.append("Connection: close\r\n")
        elif request.version < (1, 1):
            lines.append("Connection: keep-alive\r\n")
        lines.append("\r\n")
        head = "".join(lines).encode("latin-1")
        self._head_sent = True
        self.sock.settimeout(self.server.limits.idle_timeout)
        try:
            if no_body:
                self.sock.sendall(head)
                for _ in iterator:  # drain what the application produces, sending none of it
                    pass
            elif chunked:
                self.sock.sendall(head + (_chunk(first) if first else b""))
                for data in iterator:
                    if data:
                        self.sock.sendall(_chunk(data))
                self.sock.sendall(b"0\r\n\r\n")
            else:
                self.sock.sendall(head + first)
                for data in (rest if rest is not None else iterator):
                    if data:
                        self.sock.sendall(data)
        except TimeoutError:
            raise _Gone from None
        return keep_alive

    def _send_plain(self, status: int, message: str) -> None:
        """A short plain-text answer, after which the connection is closed."""
        reason = _REASONS.get(status, "Error")
        body = f"{status} {reason}: {message}\n".encode()
        head = (f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
                f"Content-Length: {len(body)}\r\nDate: {self.server.http_date()}\r\n"
                f"Server: {SERVER_SOFTWARE}\r\nConnection: close\r\n\r\n").encode("latin-1")
        try:
            self.sock.settimeout(5)
            self.sock.sendall(head + body)
        except OSError:
            pass

    # --- closing ------------------------------------------------------------------------------

    def request_waiting(self) -> bool:
        """Has a request begun to arrive that this thread has not read yet?"""
        if self._buffer:
            return True
        try:
            poller = select.poll()
            poller.register(self.sock, select.POLLIN)
            if not poller.poll(0):
                return False
            return bool(self.sock.recv(1, socket.MSG_PEEK))  # readable: b"" if the client closed
        except (OSError, ValueError):  # closed meanwhile by its own thread (its descriptor is -1)
            return False

    def close_if_idle(self) -> None:
        """Close the connection if no request is in progress on it, nor waiting to be read
        (used by the drain)."""
        with self._state_lock:
            if self.busy or self._closed or self.request_waiting():
                return
            self._closed = True
        self._shutdown()

    def shut(self) -> None:
        with self._state_lock:
            self._closed = True
        self._shutdown()

    def _shutdown(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass


class _LineReader:
    """Lines and runs of bytes from a buffer refilled by ``receive``, read from a moving position
    (each byte received is searched and copied a bounded number of times)."""

    def __init__(self, data: bytearray, receive: Callable[[], bytes]) -> None:
        self._data = data
        self._position = 0
        self._receive = receive
        self.consumed = 0  # bytes read so far

    def _fill(self) -> None:
        if self._position > RECEIVE_SIZE:  # forget what was read
            del self._data[:self._position]
            self._position = 0
        self._data += self._receive()

    def line(self, limit: int, too_long: Exception) -> bytes:
        """The next line without its CRLF; ``too_long`` raised once more than ``limit`` bytes
        arrived without one."""
        searched = 0  # bytes after the position already searched for the CRLF
        while (end := self._data.find(b"\r\n", self._position + searched)) < 0:
            searched = max(0, len(self._data) - self._position - 1)
            if searched >= limit:
                raise too_long
            self._fill()
        line = bytes(self._data[self._position:end])
        self.consumed += end + 2 - self._position
        self._position = end + 2
        return line

    def take(self, count: int) -> bytes:
        """The next ``count`` bytes."""
        while len(self._data) - self._position < count:
            self._fill()
        data = bytes(self._data[self._position:self._position + count])
        self._position += count
        self.consumed += count
        return data

    def remainder(self) -> bytes:
        """What was received and not read (the start of a pipelined request)."""
        return bytes(self._data[self._position:])


def _parse_head(head: bytes) -> tuple[str, bytes, tuple[int, int], dict[str, str]]:
    """The request line and header fields (RFC 9112 §3, §5), field names as WSGI spells them.

    Raises:
        _Refusal: the head is malformed (400) or of an unsupported version (505).
    """
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[1]:
        raise _Refusal(400, "the request line is not 'METHOD target HTTP/1.1' (RFC 9112 §3)")
    version_match = _VERSION.fullmatch(parts[2])
    if version_match is None:
        raise _Refusal(400, "the request line does not end with an HTTP version (RFC 9112 §2.3)")
    version = (int(version_match[1]), int(version_match[2]))
    if version not in ((1, 0), (1, 1)):
        raise _Refusal(505, f"HTTP/{version[0]}.{version[1]} is not supported; use HTTP/1.1")
    if any(byte < 0x21 or byte == 0x7f for byte in parts[1]):
        raise _Refusal(400, "the request target has a control character or a space")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            if line[:1] in (b" ", b"\t"):
                raise _Refusal(400, "a header field is folded over two lines (obsolete, RFC 9112 §5.2)")
            raise _Refusal(400, f"a header line is not 'Name: value' (RFC 9112 §5): {line[:60]!r}")
        value = value.strip(b" \t")
        if _FIELD_VALUE_FORBIDDEN.search(value):
            raise _Refusal(400, f"the header field {name.decode('ascii')!r} has a control character")
        if b"_" in name:  # would read as another field once spelled the WSGI way (as waitress does)
            continue
        key = name.decode("ascii").upper().replace("-", "_")
        text = value.decode("latin-1")
        if key in headers:
            if key == "CONTENT_LENGTH" and headers[key] != text:
                raise _Refusal(400, "the request has two different Content-Length fields")
            if key in ("CONTENT_LENGTH", "HOST"):
                if key == "HOST" and headers[key] != text:
                    raise _Refusal(400, "the request has two Host fields (RFC 9112 §3.2)")
                continue
            headers[key] = f"{headers[key]}, {text}"
        else:
            headers[key] = text
    if version >= (1, 1) and "HOST" not in headers:
        raise _Refusal(400, "an HTTP/1.1 request must have a Host field (RFC 9112 §3.2)")
    return parts[0].decode("ascii"), parts[1], version, headers


def _close_result(result: Any, method: str, path: str) -> None:
    """Call the application's ``close`` (PEP 3333); an error in it is logged, as a bug."""
    close = getattr(result, "close", None)
    if close is None:
        return
    try:
        close()
    except Exception:  # a bug in the application: the answer is already sent
        log.exception("unexpected error closing the answer to %s %s", method, path)


def _chain(first: list[bytes], rest: Iterable[bytes]) -> Iterable[bytes]:
    yield from first
    yield from rest


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


_TOO_MANY = (b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; charset=utf-8\r\n"
             b"Connection: close\r\nRetry-After: 5\r\nContent-Length: %d\r\n\r\n%s")
_TOO_MANY_BODY = (b"429 Too Many Requests: this client address has the most open connections one "
                  b"address may have (CONFLICT_GRAPH_MAX_CLIENT_CONNECTIONS); reuse a connection\n")


def _refuse_crowded(sock: socket.socket) -> None:
    try:
        sock.setblocking(False)
        sock.send(_TOO_MANY % (len(_TOO_MANY_BODY), _TOO_MANY_BODY))
    except OSError:
        pass
    sock.close()
