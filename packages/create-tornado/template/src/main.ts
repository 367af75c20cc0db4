// Starts the app on http://localhost:8888 (or $PORT). Ctrl-C stops it gracefully: the server
// stops accepting, requests in flight finish, and the process exits 0.
import { IOLoop } from "@tornado/tornado";
import { makeApp } from "./app.js";

const port = Number(process.env.PORT ?? 8888);
await makeApp().listen(port);
console.log(`Listening on http://localhost:${port}/`);
await IOLoop.current().start();
