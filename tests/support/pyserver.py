"""Start-up shared by the test suite's Python servers (stdlib only).

The C++ fixtures (tests/xds/processes.h ChildProcess) start a server as a
child process, read the line "PORT <n>" from its stdout and keep its stdin
open for as long as it should run; when the test ends (or dies) stdin
closes and the server exits. Every server here follows that contract:

    sys.path.insert(0, <path to tests/support>)
    import pyserver

    class Server(pyserver.ThreadedServer, http.server.HTTPServer):
        pass

    srv = Server(("127.0.0.1", 0), Handler)
    ...                      # wrap the socket, attach the config
    pyserver.serve(srv)      # prints PORT, serves until stdin closes
"""

import os
import socketserver
import sys
import threading


class ThreadedServer(socketserver.ThreadingMixIn):
    """A thread per connection, threads that never keep the process alive,
    a port that can be bound again at once, and no traceback for a client
    that went away or failed the TLS handshake (tests do exactly that).

    Put it before the server class: class S(ThreadedServer, HTTPServer)."""

    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass


def exit_when_stdin_closes():
    """Ends the process once stdin reaches end of file (the parent test
    closed it or died)."""

    def watch():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def serve(srv):
    """Announces the bound port ("PORT <n>", flushed) and serves forever,
    ending with the process when stdin closes."""
    exit_when_stdin_closes()
    print("PORT %d" % srv.server_address[1], flush=True)
    srv.serve_forever()
