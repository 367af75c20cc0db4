# Python Tornado hello world for bench/http/run.js: GET / -> "Hello, world", keep-alive.
# Usage: /usr/bin/python3 tornado_hello.py [port]; prints the port once listening.
import socket
import sys

import tornado.httpserver
import tornado.ioloop
import tornado.web


class MainHandler(tornado.web.RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/plain")
        self.write("Hello, world")


def main():
    app = tornado.web.Application([(r"/", MainHandler)])
    server = tornado.httpserver.HTTPServer(app, idle_connection_timeout=3600)
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    sockets = tornado.netutil.bind_sockets(port, "127.0.0.1", family=socket.AF_INET, backlog=1024)
    server.add_sockets(sockets)
    print(sockets[0].getsockname()[1], flush=True)
    tornado.ioloop.IOLoop.current().start()


if __name__ == "__main__":
    main()
