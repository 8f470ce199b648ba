"""The HTTP server around the application: waitress, with limits on connections and a drain.

waitress reads requests on one event loop and runs the application on a pool of threads. On top
of its own adjustments (``connection_limit``, ``channel_timeout``, ``cleanup_interval``, header
and body sizes) this module adds what a public endpoint needs and waitress lacks:

* **a listening socket bound first** (:func:`bind`), before the dataset is built, so a port in
  use is reported at once;
* **connections per client address** (``max_client_connections``): one connection more is
  answered ``429`` and closed, so one address cannot take every connection;
* **a deadline to send a request** (``request_read_timeout``): a client that sends its headers or
  body a line every few seconds (slowloris) is disconnected, although it is never idle long
  enough for ``channel_timeout``;
* **a graceful drain** (:func:`serve_until_stopped`): on ``SIGTERM`` the server stops accepting,
  finishes the requests in progress (at most ``drain_timeout`` seconds), then returns.

Only :mod:`conflict_graph.web` imports this module.
"""

from __future__ import annotations

import errno
import logging
import signal
import socket
import threading
import time
from collections.abc import Mapping
from typing import Any

from waitress.adjustments import Adjustments  # type: ignore[import-untyped]
from waitress.channel import HTTPChannel  # type: ignore[import-untyped]
from waitress.server import TcpWSGIServer  # type: ignore[import-untyped]
from waitress.task import ThreadedTaskDispatcher  # type: ignore[import-untyped]

from ..errors import SettingError

__all__ = ["Server", "bind", "create", "serve_until_stopped"]

log = logging.getLogger(__name__)

_TOO_MANY = (b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: text/plain; charset=utf-8\r\n"
             b"Connection: close\r\nRetry-After: 5\r\nContent-Length: %d\r\n\r\n%s")
_TOO_MANY_BODY = (b"429 Too Many Requests: this client address has the most open connections one "
                  b"address may have (CONFLICT_GRAPH_MAX_CLIENT_CONNECTIONS); reuse a connection\n")


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


class _Channel(HTTPChannel):  # type: ignore[misc]
    """A waitress connection that remembers when its current request began to arrive."""

    request_began = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:
            self.request_began = time.time()
        result: bool = super().received(data)
        return result


class Server(TcpWSGIServer):  # type: ignore[misc]
    """waitress's TCP server with a per-address connection limit and a deadline per request."""

    channel_class = _Channel

    def __init__(self, *args: Any, max_client_connections: int, request_read_timeout: float,
                 **kwargs: Any) -> None:
        self.max_client_connections = max_client_connections
        self.request_read_timeout = request_read_timeout
        self.refused_connections = 0
        super().__init__(*args, **kwargs)

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
            if accepted is None:
                return
            conn, addr = accepted
            self.set_socket_options(conn)
        except OSError:
            return
        host = addr[0] if isinstance(addr, tuple) else addr
        same = sum(1 for channel in self.active_channels.values()
                   if isinstance(channel.addr, tuple) and channel.addr[0] == host)
        if same >= self.max_client_connections:
            self.refused_connections += 1
            try:
                conn.setblocking(False)
                conn.send(_TOO_MANY % (len(_TOO_MANY_BODY), _TOO_MANY_BODY))
            except OSError:
                pass
            conn.close()
            return
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def maintenance(self, now: float) -> None:
        """Close idle connections (waitress) and those sending one request for too long."""
        super().maintenance(now)
        cutoff = now - self.request_read_timeout
        for channel in list(self.active_channels.values()):
            request = getattr(channel, "request", None)
            if request is not None and not request.completed and channel.request_began < cutoff:
                channel.will_close = True

    def busy(self) -> bool:
        """True while a request is being answered or a response is still being sent."""
        return any(channel.requests or channel.total_outbufs_len
                   for channel in list(self.active_channels.values()))

    def stop_accepting(self) -> None:
        """Close the listening socket; open connections are served on."""
        self.accepting = False
        self.del_channel()
        self.socket.close()


def create(app: Any, listener: socket.socket, values: Mapping[str, Any], *, max_body: int,
           max_header: int) -> Server:
    """A server for ``app`` on an already bound ``listener``, configured by the settings."""
    adjustments = Adjustments(
        sockets=[listener], threads=int(values["threads"]), ident="conflict-graph",
        connection_limit=int(values["connection_limit"]), channel_timeout=int(values["channel_timeout"]),
        cleanup_interval=int(values["cleanup_interval"]), max_request_body_size=max_body,
        max_request_header_size=max_header, asyncore_use_poll=True,  # select() stops at 1024 sockets
        outbuf_overflow=1024 * 1024)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adjustments.threads)
    sockinfo = (listener.family, listener.type, listener.proto, listener.getsockname())
    return Server(app, {}, True, listener, dispatcher=dispatcher, adj=adjustments, sockinfo=sockinfo,
                  bind_socket=False, max_client_connections=int(values["max_client_connections"]),
                  request_read_timeout=float(values["request_read_timeout"]))


def serve_until_stopped(server: Server, drain_timeout: float) -> str:
    """Serve until ``SIGTERM`` or ``SIGINT``; on ``SIGTERM``, drain first.

    A drain stops accepting connections, waits until no request is being answered or sent (at
    most ``drain_timeout`` seconds), then stops. Returns ``"drained"``, ``"drain timed out"`` or
    ``"interrupted"``.
    """
    stopping = threading.Event()
    outcome: list[str] = []

    def drain(signum: int, frame: object) -> None:
        if not stopping.is_set():
            stopping.set()
            server.stop_accepting()
            log.info("SIGTERM: refusing new connections, finishing the requests in progress")

    previous = signal.signal(signal.SIGTERM, drain)
    deadline: float | None = None
    try:
        while True:
            server.asyncore.loop(timeout=0.2, map=server._map, use_poll=True, count=1)
            if not stopping.is_set():
                continue
            deadline = deadline or time.monotonic() + drain_timeout
            if not server.busy():
                outcome.append("drained")
                break
            if time.monotonic() >= deadline:
                outcome.append("drain timed out")
                break
    except KeyboardInterrupt:
        outcome.append("interrupted")
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.task_dispatcher.shutdown(timeout=1)
    return outcome[0]
