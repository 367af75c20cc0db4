// Opens N keep-alive connections to 127.0.0.1:port, sends one GET / on each, reads the
// response, then holds them idle and prints "ready" (then waits to be killed).
// Usage: node idle-client.js <port> <count>
"use strict";
const net = require("node:net");
const port = Number(process.argv[2]);
const count = Number(process.argv[3] || 10000);
const sockets = [];
let answered = 0;
let opened = 0;
const REQUEST = Buffer.from("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

let retries = 0;

function openOne() {
  const socket = net.connect(port, "127.0.0.1");
  let got = false;
  socket.on("connect", () => socket.write(REQUEST));
  socket.on("data", () => {
    if (!got) {
      got = true;
      answered++;
      if (answered === count) process.stdout.write(`ready (${retries} reconnects)\n`);
    }
  });
  // A connection refused or reset before its answer (an overrun accept queue on a loaded
  // machine) is opened again, so that `count` connections are held in the end.
  socket.on("error", () => {});
  socket.on("close", () => {
    if (!got && retries++ < count) setTimeout(openOne, 50);
  });
  sockets.push(socket);
}

// Open in batches so that the accept queue is not overrun.
function batch() {
  for (let i = 0; i < 250 && opened < count; i++, opened++) openOne();
  if (opened < count) setTimeout(batch, 25);
}
batch();
setInterval(() => {}, 1 << 30);
