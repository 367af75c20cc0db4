# bench/websocket: the same two endpoints on Python Tornado (Debian python3-tornado).
# Prints the port, then serves until killed.
import logging
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.testing import bind_unused_port
from tornado.web import Application
from tornado.websocket import WebSocketClosedError, WebSocketHandler

clients = set()


class EchoHandler(WebSocketHandler):
    def on_message(self, message):
        try:
            self.write_message(message, binary=isinstance(message, bytes))
        except WebSocketClosedError:  # the load generator hangs up mid-flight
            pass


class BroadcastHandler(WebSocketHandler):
    def open(self):
        clients.add(self)

    def on_close(self):
        clients.discard(self)

    def on_message(self, message):
        _, count, size = message.split(" ")
        payload = "a" * int(size)
        for _ in range(int(count)):
            for client in list(clients):
                try:
                    client.write_message(payload)
                except WebSocketClosedError:
                    pass


logging.getLogger("tornado.access").setLevel(logging.WARNING)
sock, port = bind_unused_port()
sock.listen(4096)
server = HTTPServer(Application([("/echo", EchoHandler), ("/bcast", BroadcastHandler)]))
server.add_sockets([sock])
print(port, flush=True)
IOLoop.current().start()
