# Python Tornado side of bench/web: the same three tables as server.js.
# Usage: python3 tornado_bench.py <basic|param1|param200>; prints the port on stdout.
import asyncio
import sys

import tornado.web

HELLO = "Hello, World!"


class Hello(tornado.web.RequestHandler):
    def get(self):
        self.write(HELLO)


class Json(tornado.web.RequestHandler):
    def get(self):
        self.write({"message": HELLO})


class User(tornado.web.RequestHandler):
    def get(self, user_id):
        self.write({"id": user_id})


async def main(table):
    rules = []
    if table == "basic":
        rules += [(r"/", Hello), (r"/json", Json)]
    if table == "param200":
        rules += [(r"/r%d/([0-9]+)" % i, User) for i in range(199)]
    if table != "basic":
        rules.append((r"/users/([0-9]+)", User))
    app = tornado.web.Application(rules)
    server = app.listen(0, address="127.0.0.1")
    port = list(server._sockets.values())[0].getsockname()[1]
    print(port, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
