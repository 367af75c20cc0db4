// The page's side of Tornado's two chat demos, without jQuery: messages arrive over a
// WebSocket (/chatsocket) and, where it cannot open or after it closed, by long polling
// (/a/message/updates with the last message's id as cursor). `?transport=poll` skips the
// WebSocket. Every message's HTML is rendered (and escaped) by the server.
"use strict";

const inbox = document.getElementById("inbox");
const form = document.getElementById("messageform");
const input = document.getElementById("message");
const transportLabel = document.getElementById("transport");
const errorLine = document.getElementById("error");
let cursor = inbox.dataset.cursor || null;
let socket = null;
let polling = false;

function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function showMessage(message) {
  if (document.getElementById("m" + message.id)) return;
  inbox.insertAdjacentHTML("beforeend", message.html);
  inbox.lastElementChild.scrollIntoView({ block: "nearest" });
}

// A message of the room's stream: the cursor moves on (the answer to our own post does not move it).
function receive(message) {
  cursor = message.id;
  showMessage(message);
}

function showError(text) {
  errorLine.textContent = text;
}

async function post(url, fields) {
  const body = new URLSearchParams({ ...fields, _xsrf: xsrfToken() });
  const response = await fetch(url, { method: "POST", body, headers: { "X-Requested-With": "XMLHttpRequest" } });
  const answer = await response.json().catch(() => ({ error: response.statusText }));
  if (!response.ok) throw new Error(answer.error || `${response.status} ${response.statusText}`);
  return answer;
}

// Long polling, as Tornado's updater.poll: on an error, wait longer each time (up to a minute).
async function poll() {
  if (polling) return;
  polling = true;
  transportLabel.textContent = "Long polling";
  let errorSleepTime = 500;
  for (;;) {
    try {
      const answer = await post("/a/message/updates", cursor ? { cursor } : {});
      answer.messages.forEach(receive);
      errorSleepTime = 500;
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, errorSleepTime));
      errorSleepTime = Math.min(errorSleepTime * 2, 60000);
    }
  }
}

function connect() {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  const ws = new WebSocket(scheme + location.host + "/chatsocket");
  ws.onopen = () => {
    socket = ws;
    transportLabel.textContent = "WebSocket";
  };
  ws.onmessage = (event) => receive(JSON.parse(event.data));
  ws.onclose = (event) => {
    socket = null;
    if (event.code === 1003 || event.code === 1009) showError(event.reason);
    poll();
  };
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = input.value;
  showError("");
  if (socket !== null) {
    socket.send(JSON.stringify({ body }));
    input.value = "";
    return;
  }
  try {
    showMessage(await post("/a/message/new", { body }));
    input.value = "";
  } catch (error) {
    showError(error.message);
  }
  input.select();
});

if (new URLSearchParams(location.search).get("transport") === "poll") poll();
else connect();
