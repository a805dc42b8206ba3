"""webserver.py - the web server of the fetch tests, on 127.0.0.1 only.

    python3 webserver.py ROOT LOG PORTFILE [DELAY]

Serves the files of ROOT on a free port of 127.0.0.1 (written to PORTFILE),
each answer after DELAY seconds (default 0), so that transfers overlap.
Every request is appended to LOG as one tab-separated line: path,
User-Agent, Cookie, Authorization, If-None-Match, If-Modified-Since.
LOG.stats holds "connections N" (TCP connections accepted) and "max_active
M" (most requests in progress at once: from their arrival to their answer),
rewritten at each change.

/loop?n redirects to /loop?n+1 for ever, setting a cookie each time (a
client that keeps cookies sends it back).  Answers carry Last-Modified and
honour If-Modified-Since (304), as http.server does.
"""
import http.server
import os
import socketserver
import sys
import threading
import time

root, log, portfile = sys.argv[1:4]
delay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
os.chdir(root)
lock = threading.Lock()
state = {"connections": 0, "active": 0, "max_active": 0}


def write_stats():
    with open(log + ".stats.tmp", "w") as f:
        f.write("connections %d\nmax_active %d\n" % (state["connections"], state["max_active"]))
    os.replace(log + ".stats.tmp", log + ".stats")


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        h = self.headers
        with lock:
            state["active"] += 1
            state["max_active"] = max(state["max_active"], state["active"])
            write_stats()
            with open(log, "a") as f:
                f.write("\t".join([self.path] + [h.get(k, "") for k in (
                    "User-Agent", "Cookie", "Authorization", "If-None-Match",
                    "If-Modified-Since")]) + "\n")
        # in progress until the answer is about to be sent: the client may
        # start its next request as soon as it has this one whole, before
        # this thread would count it done
        if delay:
            time.sleep(delay)
        with lock:
            state["active"] -= 1
            write_stats()
        if self.path.startswith("/loop"):
            n = int(self.path.partition("?")[2] or 0)
            self.send_response(302)
            self.send_header("Location", "/loop?%d" % (n + 1))
            self.send_header("Set-Cookie", "visit=%d; Path=/" % n)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            super().do_GET()


class Server(socketserver.ThreadingTCPServer):
    request_queue_size = 64
    daemon_threads = True

    def process_request(self, request, client_address):
        with lock:
            state["connections"] += 1
            write_stats()
        super().process_request(request, client_address)


write_stats()
with Server(("127.0.0.1", 0), Handler) as s:
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.server_address[1]))
    os.replace(portfile + ".tmp", portfile)
    s.serve_forever()
