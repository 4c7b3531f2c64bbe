"""Serving dist/ as a static host does, from a laptop to a classroom (standard library only;
build.py imports it by its path).

    serve(directory, port, host="127.0.0.1")    a threaded server on a daemon thread

What a browser gets: the MIME types Pyodide needs (.wasm application/wasm, .mjs text/javascript),
text files gzipped when the browser accepts it (each compressed once, then kept in memory; the
wheels, zips and the snapshot are compressed already), `Cache-Control: no-cache` with an ETag,
so a returning browser revalidates each file in one short request (304 Not Modified) and a
rebuild is always seen. Instead of a line per request it prints, every SUMMARY_SECONDS while
anyone is loading, one line: requests, browsers (addresses), MB sent, errors.
"""
from __future__ import annotations

import collections
import email.utils
import functools
import gzip
import http.server
import io
import os
import socket
import sys
import threading
import time
from pathlib import Path

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".whl": "application/octet-stream",
    ".zip": "application/zip",
    ".gzip": "application/octet-stream",
    ".zst": "application/octet-stream",  # the page unpacks it (web/start/packed.js): no Content-Encoding
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
# Worth gzipping: text and wasm (10.1 MB → 3.2 MB); the rest is compressed already.
COMPRESSED_TYPES = {".wasm", ".mjs", ".js", ".json", ".html", ".css", ".svg"}
SUMMARY_SECONDS = 10


class Traffic:
    """What the server did since the last summary line."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.total_bytes = 0  # since the server started, never reset (bench/delivery.py reads it)
        self.requests = 0
        self.bytes = 0
        self.clients: set[str] = set()
        self.by_path: collections.Counter[str] = collections.Counter()  # bytes per path, never reset
        self.errors: collections.Counter[str] = collections.Counter()

    def add(self, client: str, status: int, path: str, sent: int) -> None:
        with self.lock:
            self.requests += 1
            self.bytes += sent
            self.total_bytes += sent
            self.by_path[path.split("?")[0]] += sent
            self.clients.add(client)
            if status >= 400:
                self.errors[f"{status} {path}"] += 1

    def take(self) -> str | None:
        """The summary line of what happened since the last call, or None if nothing did."""
        with self.lock:
            if not self.requests:
                return None
            errors = ", ".join(f"{what} ×{count}" for what, count in self.errors.most_common(3))
            line = (f"[serve] {time.strftime('%H:%M:%S')} {self.requests} requests from "
                    f"{len(self.clients)} browser address(es), {self.bytes / 1e6:.1f} MB sent"
                    + (f"; errors: {errors}" if errors else ""))
            self.requests, self.bytes = 0, 0
            self.clients.clear()
            self.errors.clear()
            return line


class Handler(http.server.SimpleHTTPRequestHandler):
    """Static files with the right types, gzip, and revalidation on every load."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}
    traffic: Traffic
    gzipped: dict[tuple[str, int, int], bytes] = {}
    gzip_lock = threading.Lock()

    def end_headers(self) -> None:
        """Ask browsers to revalidate (with the ETag), so a rebuild is always seen."""
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def send_head(self):
        """The file's headers; its body gzipped when worth it and accepted, 304 when unchanged."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()
        stat = os.stat(path)
        suffix = Path(path).suffix
        compress = suffix in COMPRESSED_TYPES and "gzip" in self.headers.get("Accept-Encoding", "")
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}{"-gzip" if compress else ""}"'
        if etag in self.headers.get("If-None-Match", ""):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        body = self.compressed(path, stat) if compress else None
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body) if body is not None else stat.st_size))
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.send_header("ETag", etag)
        if suffix in COMPRESSED_TYPES:
            self.send_header("Vary", "Accept-Encoding")
        if body is not None:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if body is not None:
            return io.BytesIO(body)
        return open(path, "rb")

    def compressed(self, path: str, stat: os.stat_result) -> bytes:
        """The file gzipped (level 6, as static hosts do), made once per version of the file."""
        key = (path, stat.st_mtime_ns, stat.st_size)
        with self.gzip_lock:  # 30 browsers asking at once compress the wasm once, not 30 times
            if key not in self.gzipped:
                self.gzipped[key] = gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)
            return self.gzipped[key]

    def copyfile(self, source, outputfile) -> None:
        """Send the body, counting its bytes for the summary."""
        sent = 0
        while block := source.read(1 << 16):
            outputfile.write(block)
            sent += len(block)
        self.sent = sent

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Counted for the summary line instead of a line per request."""
        self.status = int(code) if str(code).isdigit() else 0

    def log_message(self, format: str, *args: object) -> None:
        """Errors the base class reports go to the summary too."""

    def handle_one_request(self) -> None:
        self.status, self.sent = 0, 0
        super().handle_one_request()
        if self.status:
            self.traffic.add(self.client_address[0], self.status, self.path, self.sent)


class Server(http.server.ThreadingHTTPServer):
    """One thread per connection; a listen queue deep enough for a room of browsers opening six
    connections each at the same moment (the default, 5, resets most of them)."""

    daemon_threads = True
    request_queue_size = 256

    def handle_error(self, request, client_address) -> None:
        """A browser closing a tab mid-download is not worth a traceback; anything else is."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def addresses(port: int, host: str) -> list[str]:
    """The addresses students can type: this machine's IPv4 addresses when serving on every
    interface, the loopback address first; otherwise the one address served."""
    if host not in ("0.0.0.0", ""):
        return [f"http://{host}:{port}/"]
    found = ["127.0.0.1"]
    try:
        found += [ip for ip in socket.gethostbyname_ex(socket.gethostname())[2] if ip not in found]
    except OSError:
        pass
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))  # no packet is sent: this only picks the outgoing interface
            ip = probe.getsockname()[0]
            if ip not in found:
                found.append(ip)
        except OSError:
            pass
    return [f"http://{ip}:{port}/" for ip in found]


def summarise(traffic: Traffic, stop: threading.Event) -> None:
    while not stop.wait(SUMMARY_SECONDS):
        line = traffic.take()
        if line:
            print(line, flush=True)


def serve(directory: Path, port: int = 0, *, host: str = "127.0.0.1",
          quiet: bool = True) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve directory on host (127.0.0.1: this machine only) from a daemon thread; a busy port
    or 0 picks a free one. Unless quiet, prints a summary line every SUMMARY_SECONDS of traffic.

    Returns the server (call .shutdown() to stop it) and its URL, ending in "/".
    """
    traffic = Traffic()
    handler = functools.partial(
        type("SiteHandler", (Handler,), {"traffic": traffic, "gzipped": {}}), directory=str(directory))
    try:
        server = Server((host, port), handler)
    except OSError:
        if port == 0:
            raise
        server = Server((host, 0), handler)
        print(f"[serve] port {port} is busy, using {server.server_address[1]}", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    server.traffic = traffic
    if not quiet:
        stop = threading.Event()
        threading.Thread(target=summarise, args=(traffic, stop), daemon=True).start()
        shutdown = server.shutdown
        server.shutdown = lambda: (stop.set(), shutdown())
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return server, f"http://{shown}:{server.server_address[1]}/"
