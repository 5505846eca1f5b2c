#!/usr/bin/python3
"""An HTTP CONNECT proxy for meshctl's tests (Python 3 stdlib).

Modes:
  (default)       tunnels CONNECT host:port byte for byte;
  --refuse        answers every CONNECT with 403 Forbidden;
  --strip-upgrade a TLS-inspecting proxy without WebSocket support: after
                  CONNECT it terminates TLS with --cert/--key (a certificate
                  the client trusts), forwards each request upstream over TLS
                  with the hop-by-hop headers removed (Connection, Upgrade,
                  as RFC 9110 §7.6.1 has an HTTP/1.1 intermediary do), one
                  request per connection.

Prints "PORT <n>" when ready; exits when stdin closes. With --log FILE each
CONNECT target is appended as one line ("CONNECT host:port").
"""

import argparse
import os
import select
import socket
import socketserver
import ssl
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import pyserver  # noqa: E402  (tests/support: the servers' shared start-up)

HOP_BY_HOP = {"connection", "upgrade", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding"}


def read_head(f):
    """The request/response head (lines without CRLF) from a file object, or None at EOF."""
    lines = []
    while True:
        line = f.readline(65537)
        if not line:
            return None
        line = line.rstrip(b"\r\n")
        if not line:
            return lines
        lines.append(line.decode("latin-1"))
        if len(lines) > 200:
            return None


def relay(a, b):
    socks = [a, b]
    try:
        while True:
            pend = [s for s in socks if isinstance(s, ssl.SSLSocket) and s.pending()]
            ready = pend or select.select(socks, [], [], 60)[0]
            if not ready:
                return
            for s in ready:
                data = s.recv(65536)
                if not data:
                    return
                (b if s is a else a).sendall(data)
    except OSError:
        return


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        cfg = self.server.cfg
        head = read_head(self.rfile)
        if not head:
            return
        parts = head[0].split(" ")
        if len(parts) != 3 or parts[0] != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        target = parts[1]
        if cfg.log:
            with cfg.lock, open(cfg.log, "a") as f:
                f.write("CONNECT %s\n" % target)
        if cfg.refuse:
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        host, _, port = target.rpartition(":")
        try:
            up = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
            up.settimeout(None)
        except (OSError, ValueError):
            self.wfile.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        if not cfg.strip_upgrade:
            relay(self.connection, up)
            up.close()
            return
        self.inspect(up, host)

    def inspect(self, up, host):
        cfg = self.server.cfg
        try:
            client = cfg.server_ctx.wrap_socket(self.connection, server_side=True)
            upstream = cfg.client_ctx.wrap_socket(up, server_hostname=host)
        except (OSError, ssl.SSLError):
            return
        cf = client.makefile("rb")
        head = read_head(cf)
        if not head:
            return
        length = 0
        kept = [head[0]]
        for line in head[1:]:
            name, _, value = line.partition(":")
            lname = name.strip().lower()
            if lname in HOP_BY_HOP:
                continue
            if lname == "content-length":
                length = int(value.strip() or "0")
            kept.append(line)
        kept.append("Connection: close")
        body = cf.read(length) if length else b""
        upstream.sendall(("\r\n".join(kept) + "\r\n\r\n").encode("latin-1") + body)
        try:
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                client.sendall(data)
        except OSError:
            pass
        for s in (client, upstream):
            try:
                s.close()
            except OSError:
                pass


class Server(pyserver.ThreadedServer, socketserver.TCPServer):
    pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--refuse", action="store_true")
    ap.add_argument("--strip-upgrade", action="store_true")
    ap.add_argument("--cert", default="")
    ap.add_argument("--key", default="")
    ap.add_argument("--log", default="")
    cfg = ap.parse_args()
    cfg.lock = threading.Lock()
    if cfg.strip_upgrade:
        cfg.server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cfg.server_ctx.load_cert_chain(cfg.cert, cfg.key)
        cfg.client_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        cfg.client_ctx.check_hostname = False
        cfg.client_ctx.verify_mode = ssl.CERT_NONE
    srv = Server(("127.0.0.1", 0), Handler)
    srv.cfg = cfg
    pyserver.serve(srv)


if __name__ == "__main__":
    main()
