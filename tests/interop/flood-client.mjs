#!/usr/bin/env node
// The reference receiver for the flood benchmark: the official socket.io-client, doing nothing
// but counting `chat.message` events.
//   node tests/interop/flood-client.mjs URL TOKEN COUNT [--pong]
// --pong: also answer the server's `ping` with `pong {timestamp}`, as the spec asks of a client.
// Prints one JSON line: {"received": N, "ms": first-to-last, "perSecond": N / s}.
import { io } from "socket.io-client";

const [url, token, countText, flag] = process.argv.slice(2);
const count = Number(countText);
if (!url || !Number.isInteger(count) || count <= 0) {
  console.error("usage: flood-client.mjs URL TOKEN COUNT");
  process.exit(2);
}
let received = 0;
let first = 0;
const socket = io(url, { auth: { token: `Bearer ${token}` }, transports: ["websocket"], reconnection: false });
socket.on("chat.message", () => {
  if (received === 0) first = performance.now();
  received += 1;
  if (received === count) {
    const ms = performance.now() - first;
    console.log(JSON.stringify({ received, ms, perSecond: (received / ms) * 1000 }));
    socket.close();
    process.exit(0);
  }
});
if (flag === "--pong") socket.on("ping", () => socket.emit("pong", { timestamp: Date.now() }));
socket.on("connect_error", (e) => {
  console.error(`connect_error: ${e.message}`);
  process.exit(1);
});
setTimeout(() => {
  console.error(`timed out after ${received} of ${count}`);
  process.exit(1);
}, 120000);
