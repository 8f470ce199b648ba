"""The HTTP server (``web/http_server.py``) on loopback, with raw sockets: HTTP/1.1 framing
(RFC 9112), its limits, and its drain.

Each test runs a real server in a thread of its own, serving a small WSGI application that
echoes what it received, so the tests see exactly what the server handed on and sent back.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from conflict_graph.web.http_server import HttpServer, Limits, bind

StartResponse = Callable[..., Any]


def echo(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """Answer with what the application was given, as JSON."""
    body = environ["wsgi.input"].read()
    if environ["PATH_INFO"] == "/fail":
        raise RuntimeError("a bug")
    if environ["PATH_INFO"] == "/stream":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return iter([b"one,", b"", b"two"])
    if environ["PATH_INFO"] == "/wait":
        GATE.wait(10)
    seen = {key: value for key, value in environ.items() if isinstance(value, str)}
    seen["body"] = body.decode("latin-1")
    data = json.dumps(seen).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


GATE = threading.Event()


@contextmanager
def running(app: Callable[..., Iterable[bytes]] = echo, **limits: Any) -> Iterator[HttpServer]:
    GATE.clear()
    server = HttpServer(app, bind("127.0.0.1", 0), Limits(**limits))
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        GATE.set()
        server.stop()
        server.drain(2)
        thread.join(5)


def connect(server: HttpServer, source: str | None = None) -> socket.socket:
    return socket.create_connection((server.effective_host, server.effective_port), timeout=5,
                                    source_address=(source, 0) if source else None)


def read_response(sock: socket.socket, buffer: bytearray | None = None) -> tuple[int, dict[str, str], bytes]:
    """One response (status, header fields in lower case, body), by Content-Length, chunked or close."""
    data = buffer if buffer is not None else bytearray()
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a whole head: {bytes(data)!r}")
        data += chunk
    head, _, rest = bytes(data).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    body = bytearray(rest)
    if "content-length" in headers:
        while len(body) < int(headers["content-length"]):
            body += sock.recv(65536)
        length = int(headers["content-length"])
        left, body = body[length:], body[:length]
    elif headers.get("transfer-encoding") == "chunked":
        decoded = bytearray()
        while True:
            while b"\r\n" not in body:
                body += sock.recv(65536)
            size_line, _, body = bytes(body).partition(b"\r\n")
            size = int(size_line, 16)
            while len(body) < size + 2:
                body += sock.recv(65536)
            if size == 0:
                left = bytearray(body[2:])
                break
            decoded += body[:size]
            body = bytearray(body[size + 2:])
        body = decoded
    else:
        while chunk := sock.recv(65536):
            body += chunk
        left = bytearray()
    if buffer is not None:
        buffer[:] = left
    return status, headers, bytes(body)


def exchange(server: HttpServer, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    with connect(server) as sock:
        sock.sendall(raw)
        return read_response(sock)


def closed(sock: socket.socket, within: float) -> bool:
    """True if the server closes ``sock`` within ``within`` seconds."""
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_one_connection_carries_several_requests_and_pipelined_ones_in_order() -> None:
    with running() as server, connect(server) as sock:
        sock.sendall(b"GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\n")
        status, headers, body = read_response(sock)
        assert status == 200 and json.loads(body)["QUERY_STRING"] == "x=1"
        assert headers["server"] == "conflict-graph" and headers["date"].endswith("GMT")
        sock.sendall(b"GET /b HTTP/1.1\r\nHost: h\r\n\r\nPOST /c HTTP/1.1\r\nHost: h\r\n"
                     b"Content-Length: 3\r\n\r\nabcGET /d HTTP/1.1\r\nHost: h\r\n\r\n")
        buffer = bytearray()
        answers = [json.loads(read_response(sock, buffer)[2]) for _ in range(3)]
        assert [a["PATH_INFO"] for a in answers] == ["/b", "/c", "/d"]
        assert answers[1]["body"] == "abc" and answers[1]["CONTENT_LENGTH"] == "3"


def test_the_environ_follows_pep_3333() -> None:
    with running() as server:
        _, _, body = exchange(server, b"GET http://example.org/sp%61rql%20x?query=ASK%20%7B%7D HTTP/1.1\r\n"
                                      b"Host: example.org\r\nX-Custom: one\r\nX-Custom: two\r\n"
                                      b"X_Smuggled: no\r\nContent-Type: text/plain\r\n\r\n")
    seen = json.loads(body)
    assert seen["PATH_INFO"] == "/sparql x" and seen["QUERY_STRING"] == "query=ASK%20%7B%7D"
    assert seen["REQUEST_METHOD"] == "GET" and seen["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert seen["HTTP_X_CUSTOM"] == "one, two" and "HTTP_X_SMUGGLED" not in seen
    assert seen["CONTENT_TYPE"] == "text/plain" and seen["HTTP_HOST"] == "example.org"
    assert seen["REMOTE_ADDR"] == "127.0.0.1" and seen["wsgi.url_scheme"] == "http"


def test_a_chunked_body_is_decoded_and_its_length_given() -> None:
    with running() as server:
        status, _, body = exchange(server, b"POST /x HTTP/1.1\r\nHost: h\r\n"
                                           b"Transfer-Encoding: chunked\r\n\r\n"
                                           b"4;ext=1\r\nASK \r\n2\r\n{}\r\n0\r\nTrailer: t\r\n\r\n")
    seen = json.loads(body)
    assert status == 200 and seen["body"] == "ASK {}" and seen["CONTENT_LENGTH"] == "6"
    assert "HTTP_TRANSFER_ENCODING" not in seen


def test_expect_100_continue_is_answered_before_the_body_is_sent() -> None:
    with running() as server, connect(server) as sock:
        sock.sendall(b"POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 6\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"ASK {}")
        status, _, body = read_response(sock)
    assert status == 200 and json.loads(body)["body"] == "ASK {}"


def test_http_1_0_closes_unless_asked_to_keep_alive() -> None:
    with running() as server:
        with connect(server) as sock:
            sock.sendall(b"GET /a HTTP/1.0\r\n\r\n")
            status, headers, _ = read_response(sock)
            assert status == 200 and headers["connection"] == "close" and closed(sock, 2)
        with connect(server) as sock:
            sock.sendall(b"GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            assert read_response(sock)[1]["connection"] == "keep-alive"
            sock.sendall(b"GET /b HTTP/1.0\r\n\r\n")
            assert json.loads(read_response(sock)[2])["PATH_INFO"] == "/b"


def test_a_body_of_unknown_length_is_chunked_or_ends_with_the_connection() -> None:
    with running() as server:
        status, headers, body = exchange(server, b"GET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
        assert status == 200 and headers["transfer-encoding"] == "chunked" and body == b"one,two"
        status, headers, body = exchange(server, b"GET /stream HTTP/1.0\r\n\r\n")
        assert status == 200 and headers["connection"] == "close" and body == b"one,two"


def test_head_sends_the_header_fields_without_the_body() -> None:
    with running() as server, connect(server) as sock:
        sock.sendall(b"HEAD /a HTTP/1.1\r\nHost: h\r\n\r\n")
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(4096)
        head, _, rest = data.partition(b"\r\n\r\n")
        assert b"Content-Length: " in head and rest == b""
        sock.sendall(b"GET /next HTTP/1.1\r\nHost: h\r\n\r\n")  # nothing of the body came in between
        assert json.loads(read_response(sock)[2])["PATH_INFO"] == "/next"


@pytest.mark.parametrize(("raw", "status", "words"), [
    (b"GET /a\r\nHost: h\r\n\r\n", 400, "request line"),
    (b"GET /a HTTP/1.1 extra\r\n\r\n", 400, "request line"),
    (b"GET /a HTTP/2.0\r\n\r\n", 505, "HTTP/2.0"),
    (b"GET /a FTP/1.1\r\n\r\n", 400, "HTTP version"),
    (b"GET /a HTTP/1.1\r\nNo colon here\r\n\r\n", 400, "Name: value"),
    (b"GET /a HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", 400, "folded"),
    (b"GET /a HTTP/1.1\r\nBad Name: a\r\n\r\n", 400, "Name: value"),
    (b"GET /a HTTP/1.1\r\nX: a\x01b\r\n\r\n", 400, "control character"),
    (b"POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400, "both"),
    (b"POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "gzip"),
    (b"POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400, "Content-Length"),
    (b"POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400,
     "two different"),
    (b"POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "hexadecimal"),
    (b"POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 400, "CRLF"),
    (b"GET /a HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "two Host"),
    (b"GET /a HTTP/1.1\r\nX: a\r\n\r\n", 400, "Host field"),
    (b"POST /a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400, "HTTP/1.0"),
    (b"POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;\nx\r\nabc\r\n0\r\n\r\n", 400,
     "chunk extension"),
    (b"POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nno colon\r\n\r\n",
     400,
     "trailer field"),
    (b"G\xc9T /a HTTP/1.1\r\nHost: h\r\n\r\n", 400, "request line"),
    (b"GET /a HTTP/1.1\r\nHost: h\r\nX\xff: a\r\n\r\n", 400, "Name: value"),
    (b"GET /a HTTP/1.\xd9\xa1\r\nHost: h\r\n\r\n", 400, "HTTP version"),
])
def test_a_malformed_request_is_refused_with_a_message(raw: bytes, status: int, words: str) -> None:
    with running() as server, connect(server) as sock:
        sock.sendall(raw)
        answer_status, headers, body = read_response(sock)
        assert answer_status == status and words in body.decode(), body
        assert headers["connection"] == "close" and closed(sock, 2)


def test_a_body_over_the_limit_is_refused_from_its_length_alone() -> None:
    with running(max_body_bytes=1000) as server, connect(server) as sock:
        sock.sendall(b"POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 50000000\r\n\r\nabc")
        status, _, body = read_response(sock)
    assert status == 413 and b"50,000,000" in body


def test_a_chunked_body_over_the_limit_is_refused_as_it_arrives() -> None:
    with running(max_body_bytes=10) as server:
        status, _, _ = exchange(server, b"POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        b"8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n")
    assert status == 413


def test_a_head_over_the_limit_is_a_431() -> None:
    with running(max_header_bytes=1000) as server:
        status, _, body = exchange(server, b"GET /a HTTP/1.1\r\nX-Long: " + b"a" * 2000 + b"\r\n\r\n")
    assert status == 431 and b"1,000 bytes" in body


def test_an_application_error_is_a_500_and_the_server_goes_on() -> None:
    with running() as server:
        status, _, body = exchange(server, b"GET /fail HTTP/1.1\r\nHost: h\r\n\r\n")
        assert status == 500 and b"logged" in body and b"a bug" not in body
        assert exchange(server, b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")[0] == 200


def test_one_address_has_at_most_its_connections_and_others_are_served() -> None:
    with running(max_client_connections=2) as server:
        first, second = connect(server, "127.0.0.40"), connect(server, "127.0.0.40")
        try:
            time.sleep(0.2)  # both accepted
            with connect(server, "127.0.0.40") as third:
                third.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
                status, _, body = read_response(third)
                assert status == 429 and b"MAX_CLIENT_CONNECTIONS" in body
            with connect(server, "127.0.0.41") as other:
                other.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
                assert read_response(other)[0] == 200
        finally:
            first.close()
            second.close()
        time.sleep(0.3)  # once one is closed, the address may connect again
        with connect(server, "127.0.0.40") as again:
            again.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
            assert read_response(again)[0] == 200


def test_beyond_the_connection_limit_new_connections_wait_for_a_free_one() -> None:
    with running(connection_limit=2) as server:
        held = [connect(server, f"127.0.0.{50 + i}") for i in range(2)]
        time.sleep(0.2)
        waiting = connect(server, "127.0.0.52")  # in the listen backlog
        waiting.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        assert not closed(waiting, 0.5)  # no answer yet, and not refused
        held[0].close()
        waiting.settimeout(5)
        assert read_response(waiting)[0] == 200
        waiting.close()
        held[1].close()


def test_an_idle_connection_is_closed_after_the_idle_timeout() -> None:
    with running(idle_timeout=0.5) as server, connect(server) as sock:
        sock.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        assert read_response(sock)[0] == 200
        started = time.monotonic()
        assert closed(sock, 5)
        assert 0.3 < time.monotonic() - started < 4


def test_a_request_sent_a_line_at_a_time_is_cut_off_at_the_read_deadline() -> None:
    with running(request_read_timeout=1.0, idle_timeout=5) as server, connect(server) as sock:
        sock.sendall(b"GET /a HTTP/1.1\r\n")
        started = time.monotonic()
        gone = False
        while time.monotonic() - started < 5 and not gone:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                gone = closed(sock, 0.2)
            except OSError:
                gone = True
        assert gone and time.monotonic() - started < 4


def test_requests_beyond_max_active_wait_for_their_turn() -> None:
    with running(max_active=1) as server:
        first, second = connect(server, "127.0.0.60"), connect(server, "127.0.0.61")
        try:
            first.sendall(b"GET /wait HTTP/1.1\r\nHost: h\r\n\r\n")
            time.sleep(0.2)
            second.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
            assert not closed(second, 0.5)  # waiting: no answer while the first holds the turn
            GATE.set()
            assert read_response(first)[0] == 200 and read_response(second)[0] == 200
        finally:
            first.close()
            second.close()


def test_a_drain_answers_requests_in_progress_and_sent_meanwhile_then_closes_the_rest() -> None:
    server = HttpServer(echo, bind("127.0.0.1", 0), Limits())
    GATE.clear()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    busy, late, silent = (connect(server, f"127.0.0.{n}") for n in (70, 71, 72))
    busy.sendall(b"GET /wait HTTP/1.1\r\nHost: h\r\n\r\n")
    time.sleep(0.2)
    outcome: list[str] = []
    drainer = threading.Thread(target=lambda: outcome.append(server.drain(5)))
    drainer.start()
    time.sleep(0.5)
    with pytest.raises(OSError):
        connect(server).sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")  # no longer accepting
    late.sendall(b"GET /late HTTP/1.1\r\nHost: h\r\n\r\n")  # connected before the stop
    status, headers, body = read_response(late)
    assert status == 200 and json.loads(body)["PATH_INFO"] == "/late" and headers["connection"] == "close"
    assert not closed(silent, 0.3)  # still open while a request is in progress
    GATE.set()
    status, headers, _ = read_response(busy)
    drainer.join(5)
    thread.join(5)
    assert status == 200 and headers["connection"] == "close" and outcome == ["drained"]
    assert closed(silent, 2)  # closed once nothing was in progress
    for sock in (busy, late, silent):
        sock.close()


def test_bytes_beyond_ascii_in_the_target_and_a_field_value_reach_the_application_as_latin_1() -> None:
    with running() as server:
        status, _, body = exchange(server, b"GET /caf\xe9?q=\xff HTTP/1.1\r\nHost: h\r\n"
                                           b"X-Name: Zo\xeb\r\n\r\n")
    seen = json.loads(body)
    assert status == 200 and seen["PATH_INFO"] == "/caf\xe9" and seen["QUERY_STRING"] == "q=\xff"
    assert seen["HTTP_X_NAME"] == "Zo\xeb"


def test_an_absolute_form_target_names_the_host_and_the_host_field_is_ignored() -> None:
    with running() as server:
        _, _, body = exchange(server, b"GET http://user@target.example:8080/a HTTP/1.1\r\n"
                                      b"Host: other.example\r\n\r\n")
    seen = json.loads(body)
    assert seen["HTTP_HOST"] == "target.example:8080" and seen["PATH_INFO"] == "/a"


CHUNKED_POST = b"POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"


def test_trailer_fields_are_bounded_as_header_fields_are() -> None:
    trailers = b"".join(b"X-T%d: %s\r\n" % (number, b"a" * 100) for number in range(40))
    with running(max_header_bytes=2000) as server:
        status, _, body = exchange(server, CHUNKED_POST + b"3\r\nabc\r\n0\r\n" + trailers + b"\r\n")
    assert status == 431 and b"trailer" in body


def test_a_chunked_body_of_tiny_chunks_whose_framing_outweighs_the_data_is_refused() -> None:
    with running() as server:
        status, _, body = exchange(server, CHUNKED_POST + b"1;ext=padding\r\na\r\n" * 20_000 + b"0\r\n\r\n")
    assert status == 413 and b"framing" in body


def test_a_chunked_body_arriving_in_tiny_pieces_is_decoded_whole() -> None:
    chunks = b"".join(b"%x\r\n%s\r\n" % (size, bytes([65 + size % 26]) * size) for size in range(1, 200))
    expected = "".join(chr(65 + size % 26) * size for size in range(1, 200))
    with running() as server, connect(server) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(CHUNKED_POST)
        message = chunks + b"0\r\nX-Trailer: t\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"
        for start in range(0, len(message), 997):
            sock.sendall(message[start:start + 997])
        buffer = bytearray()
        first = read_response(sock, buffer)
        second = read_response(sock, buffer)
    assert first[0] == 200 and json.loads(first[2])["body"] == expected
    assert second[0] == 200 and json.loads(second[2])["PATH_INFO"] == "/b"


def test_exc_info_replaces_the_status_on_every_request_of_a_connection() -> None:
    """PEP 3333: start_response with exc_info replaces a status not yet sent, on the second
    request of a connection as on the first."""
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise ValueError("found late")
        except ValueError:
            start_response("503 Service Unavailable", [("Content-Length", "9")], sys.exc_info())
        return [b"own error"]

    with running(app) as server, connect(server) as sock:
        buffer = bytearray()
        for _ in range(2):
            sock.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
            assert read_response(sock, buffer)[::2] == (503, b"own error")


class _ClosingBadly:
    def __iter__(self) -> Iterator[bytes]:
        yield b"done"

    def close(self) -> None:
        raise RuntimeError("a bug in close")


def test_an_application_whose_close_raises_is_logged_and_the_connection_goes_on(
        caplog: pytest.LogCaptureFixture) -> None:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Length", "4")])
        return _ClosingBadly()

    with running(app) as server, connect(server) as sock:
        buffer = bytearray()
        for _ in range(2):
            sock.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
            assert read_response(sock, buffer)[::2] == (200, b"done")
    assert any("closing the answer" in record.getMessage() for record in caplog.records)


def test_a_generator_raising_after_its_head_was_sent_ends_the_connection_without_a_false_end() -> None:
    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"part"
        raise RuntimeError("a bug while streaming")

    with running(app) as server:
        with connect(server) as sock:
            sock.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
            data = bytearray()
            while chunk := sock.recv(65536):
                data += chunk
        assert data.startswith(b"HTTP/1.1 200") and b"4\r\npart\r\n" in data
        assert not data.endswith(b"0\r\n\r\n")  # no last chunk: the client sees the answer cut short


def test_a_request_arriving_as_the_drain_looks_is_answered(monkeypatch: pytest.MonkeyPatch) -> None:
    """The drain closes idle connections; one whose request has arrived but is not read yet is
    not idle (the window is widened here by a delay before the connection counts as busy)."""
    from conflict_graph.web import http_server

    begin = http_server._Connection._begin
    arrived = threading.Event()

    def slow_begin(self: Any, limits: Limits) -> float:
        arrived.set()
        time.sleep(0.5)
        return begin(self, limits)

    monkeypatch.setattr(http_server._Connection, "_begin", slow_begin)
    server = HttpServer(echo, bind("127.0.0.1", 0), Limits())
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    with connect(server) as sock:
        sock.sendall(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n")
        assert arrived.wait(5)
        outcome = server.drain(5)
        status, headers, _ = read_response(sock)
    thread.join(5)
    assert status == 200 and headers["connection"] == "close" and outcome == "drained"


def test_the_drain_passes_over_a_connection_its_thread_just_closed() -> None:
    """A connection's thread may close its socket while the drain looks at it (its descriptor is
    then -1): the drain goes on, and ends."""
    server = HttpServer(echo, bind("127.0.0.1", 0), Limits())
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    with connect(server):
        deadline = time.monotonic() + 5
        while server.open_connections == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        with server._lock:
            connection = next(iter(server._connections.values()))
        connection.sock.close()  # as its thread does, before it forgets the connection
        assert server.drain(1) == "drained"
    thread.join(5)


def test_waiting_for_the_next_request_on_a_socket_the_server_closed_ends_quietly() -> None:
    """The server stopping closes an idle connection's socket from another thread, which may be
    about to wait for the connection's next request: the wait ends, with no error in the thread."""
    server = HttpServer(echo, bind("127.0.0.1", 0), Limits())
    client, served = socket.socketpair()
    try:
        served.close()  # as the server's stop does (the descriptor is then -1)
        started = time.monotonic()
        server.spin_for_next_request(served)
        assert time.monotonic() - started < 1
    finally:
        client.close()
        server.listener.close()
