#!/usr/bin/env node
// The official Node socket.io v4 server as a reference peer for interop tests and benchmarks.
//
//   node tests/interop/server.mjs [--port 0] [--token JWT] [--polling-only]
//        [--ping-interval-ms 1000] [--events FILE] [--no-events] [--no-echo-id]
//        [--flood N] [--flood-rate R]
//        [--hostile-bytes B] [--hostile-message-bytes S] [--hostile-typing N]
//
// stdout protocol (one line each, line-buffered):
//   line 1:  listening on http://127.0.0.1:PORT
//   then JSON objects, one per line, each with exactly one of these keys first:
//     {"connect": socketId, "transport": "websocket"|"polling", "auth": {...}}
//     {"auth_failed": {"auth": {...}}}                      handshake rejected by the middleware
//     {"recv": eventName, "args": [...], "t": ms, "sid": id} every event a client emitted ("ack": true if it asked for one;
//                                                          t = performance.now() on arrival). Acks are answered:
//                                                          health.check with {status: "ok", timestamp}, others {ok: true}
//     {"ping_sent": ms, "sid": id}                          a `ping` went out (performance.now()) to that socket
//     {"sent": "events", "count": N}                        the fixture events were all emitted to a new socket
//     {"flood_done": N, "ms": elapsed}                      the --flood burst is finished
//     {"hostile_done": messages, "typing": N, "bytes": B, "ms": elapsed}
//                                                          the --hostile-* flood is finished; right after it one
//                                                          normal chat.message (id "hostile-after") went out
//     {"disconnect": socketId, "reason": "..."}
//   Readers should ignore keys and line kinds they do not know.
// stdin (optional, JSON lines): {"emit": name, "args": [...]} emits to every connected socket
//   (no args = zero-argument event); {"disconnect": true} disconnects every socket server-side.
// Exits 0 on SIGTERM/SIGINT, or when stdout is closed by the reader.

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { Server } from "socket.io";

const { values: opts } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    token: { type: "string" },
    "polling-only": { type: "boolean", default: false },
    "ping-interval-ms": { type: "string", default: "1000" },
    events: {
      type: "string",
      default: new URL("../../crates/protocol/fixtures/server-events.json", import.meta.url).pathname,
    },
    "no-events": { type: "boolean", default: false },
    // Echo like a server that knows nothing of the clientMessageId extension.
    "no-echo-id": { type: "boolean", default: false },
    flood: { type: "string", default: "0" },
    "flood-rate": { type: "string", default: "0" },
    // Pads each flood message's content to this many bytes (0: a short text).
    "flood-content-bytes": { type: "string", default: "0" },
    // A hostile server: B bytes of chat.message content in messages of S bytes, interleaved with N
    // presence.typing events, as fast as the client reads them (the next write waits for the last
    // to reach the kernel, so the `ping`s between them are not queued behind the whole flood).
    "hostile-bytes": { type: "string", default: "0" },
    "hostile-message-bytes": { type: "string", default: "262144" },
    "hostile-typing": { type: "string", default: "0" },
    help: { type: "boolean", short: "h", default: false },
  },
  strict: true,
});

if (opts.help) {
  process.stdout.write(
    "usage: server.mjs [--port 0] [--token JWT] [--polling-only] [--ping-interval-ms 1000]\n" +
      "                  [--events FILE] [--no-events] [--no-echo-id] [--flood N] [--flood-rate PER_SECOND]\n" +
      "                  [--flood-content-bytes B]\n" +
      "                  [--hostile-bytes B] [--hostile-message-bytes S] [--hostile-typing N]\n",
  );
  process.exit(0);
}

const port = Number(opts.port);
const pingIntervalMs = Number(opts["ping-interval-ms"]);
const floodCount = Number(opts.flood);
const floodRate = Number(opts["flood-rate"]); // 0 = as fast as possible
const floodContentBytes = Number(opts["flood-content-bytes"]);
const hostileBytes = Number(opts["hostile-bytes"]);
const hostileMessageBytes = Number(opts["hostile-message-bytes"]);
const hostileTyping = Number(opts["hostile-typing"]);
for (const [name, v] of [["port", port], ["ping-interval-ms", pingIntervalMs], ["flood", floodCount], ["flood-rate", floodRate],
  ["flood-content-bytes", floodContentBytes],
  ["hostile-bytes", hostileBytes], ["hostile-message-bytes", hostileMessageBytes], ["hostile-typing", hostileTyping]]) {
  if (!Number.isInteger(v) || v < 0) {
    process.stderr.write(`--${name} must be a non-negative integer\n`);
    process.exit(2);
  }
}

const serverEvents = opts["no-events"] ? [] : JSON.parse(readFileSync(opts.events, "utf8"));

const SELLER = { id: "seller-1", name: "Seller", avatar: "" };
const BUYER = { id: "buyer-1", name: "Buyer", avatar: "" };

function out(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}
process.stdout.on("error", () => process.exit(0)); // reader went away (EPIPE)

const httpServer = createServer();
const io = new Server(httpServer, {
  transports: opts["polling-only"] ? ["polling"] : ["polling", "websocket"],
  serveClient: false,
});

io.use((socket, next) => {
  const auth = socket.handshake.auth ?? {};
  if (opts.token !== undefined && auth.token !== `Bearer ${opts.token}`) {
    out({ auth_failed: { auth } });
    const err = new Error("AUTH_FAILED");
    err.data = { code: "AUTH_FAILED", message: "invalid token" };
    return next(err);
  }
  next();
});

function emitArgs(socket, name, args) {
  // `data` absent => zero-argument emit, e.g. socket.emit("ping")
  socket.emit(name, ...args);
}

function echoMessage(socket, item) {
  if (item === null || typeof item !== "object" || typeof item.conversationId !== "string" || typeof item.content !== "string") {
    socket.emit("chat.error", {
      code: "INVALID_PAYLOAD",
      message: "chat.send needs {conversationId: string, content: string}",
      conversationId: typeof item?.conversationId === "string" ? item.conversationId : undefined,
      timestamp: new Date(),
    });
    return;
  }
  const msg = {
    id: randomUUID(),
    conversationId: item.conversationId,
    sender: SELLER,
    content: item.content,
    attachments: Array.isArray(item.attachments) ? item.attachments : [],
    status: "sent",
    timestamp: new Date(),
  };
  if (item.clientMessageId !== undefined && !opts["no-echo-id"]) msg.clientMessageId = item.clientMessageId;
  socket.emit("chat.message", msg);
}

/** The content of flood message `n`: a short text, padded to --flood-content-bytes. */
function floodContent(n) {
  const text = `flood message ${n}`;
  return text.length >= floodContentBytes ? text : `${text} ${"x".repeat(floodContentBytes - text.length - 1)}`;
}

function startFlood(socket) {
  const started = process.hrtime.bigint();
  let sent = 0;
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  const tick = () => {
    if (!socket.connected) return;
    const due = floodRate === 0 ? Math.min(floodCount, sent + 500) : Math.min(floodCount, Math.floor((elapsedMs() * floodRate) / 1000) + 1);
    while (sent < due) {
      sent += 1;
      socket.emit("chat.message", {
        id: `flood-${sent}`,
        conversationId: "conv-flood",
        sender: BUYER,
        content: floodContent(sent),
        attachments: [],
        status: "sent",
        timestamp: new Date(),
      });
    }
    if (sent >= floodCount) {
      out({ flood_done: sent, ms: Math.round(elapsedMs()) });
      return;
    }
    if (floodRate === 0) setImmediate(tick);
    else setTimeout(tick, 1);
  };
  tick();
}

// Resolves once everything written so far has been handed to the kernel (engine.io's "drain"),
// and always through the event loop (setImmediate), so the `ping` timer keeps its 50 ms cadence
// however fast the client reads.
function drained(socket) {
  const conn = socket.conn;
  if (conn.writeBuffer.length === 0 && conn.transport.writable) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => conn.once("drain", () => setImmediate(resolve)));
}

async function startHostile(socket) {
  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  const messages = hostileMessageBytes > 0 ? Math.ceil(hostileBytes / hostileMessageBytes) : 0;
  const content = "x".repeat(hostileMessageBytes);
  const typingPerMessage = messages > 0 ? Math.ceil(hostileTyping / messages) : hostileTyping;
  let typing = 0;
  const typingBurst = (n) => {
    for (let i = 0; i < n && typing < hostileTyping; i += 1, typing += 1) {
      socket.emit("presence.typing", {
        userId: `buyer-${typing % 16}`,
        conversationId: `conv-typing-${typing % 8}`,
        isTyping: typing % 2 === 0,
        timestamp: new Date(),
      });
    }
  };
  for (let m = 0; m < messages; m += 1) {
    if (!socket.connected) return;
    socket.emit("chat.message", {
      id: `hostile-${m}`,
      conversationId: "conv-hostile",
      sender: BUYER,
      content,
      attachments: [],
      status: "sent",
      timestamp: new Date(),
    });
    typingBurst(typingPerMessage);
    await drained(socket);
  }
  while (typing < hostileTyping) {
    if (!socket.connected) return;
    typingBurst(500);
    await drained(socket);
  }
  socket.emit("chat.message", {
    id: "hostile-after",
    conversationId: "conv-hostile",
    sender: BUYER,
    content: "a normal message after the flood",
    attachments: [],
    status: "sent",
    timestamp: new Date(),
  });
  out({ hostile_done: messages, typing, bytes: messages * hostileMessageBytes, ms: Math.round(elapsedMs()), sid: socket.id });
}

io.on("connection", (socket) => {
  out({ connect: socket.id, transport: socket.conn.transport.name, auth: socket.handshake.auth });
  socket.conn.on("upgrade", (t) => out({ upgrade: socket.id, transport: t.name }));

  socket.onAny((name, ...args) => {
    let ack = null;
    if (args.length > 0 && typeof args[args.length - 1] === "function") ack = args.pop();
    // `t`: a monotonic clock in ms, for latency measurements (pong after ping).
    const t = performance.now();
    out(ack ? { recv: name, args, ack: true, t, sid: socket.id } : { recv: name, args, t, sid: socket.id });
    if (name === "chat.send") echoMessage(socket, args[0]);
    if (name === "chat.batch") {
      const items = Array.isArray(args[0]) ? args[0] : args;
      for (const item of items) echoMessage(socket, item);
    }
    // health.check answers like the simulator (clients time the round trip); others get {ok}.
    if (ack) ack(name === "health.check" ? { status: "ok", timestamp: Date.now() } : { ok: true });
  });

  for (const ev of serverEvents) {
    emitArgs(socket, ev.event, "data" in ev ? [ev.data] : []);
  }
  out({ sent: "events", count: serverEvents.length });

  let pinger = null;
  if (pingIntervalMs > 0) {
    pinger = setInterval(() => {
      out({ ping_sent: performance.now(), sid: socket.id });
      socket.emit("ping");
    }, pingIntervalMs);
  }
  if (floodCount > 0) startFlood(socket);
  if (hostileBytes > 0 || hostileTyping > 0) startHostile(socket);

  socket.on("disconnect", (reason) => {
    if (pinger) clearInterval(pinger);
    out({ disconnect: socket.id, reason });
  });
});

createInterface({ input: process.stdin }).on("line", (line) => {
  if (!line.trim()) return;
  let cmd;
  try {
    cmd = JSON.parse(line);
  } catch {
    process.stderr.write(`stdin: not JSON: ${line}\n`);
    return;
  }
  if (typeof cmd.emit === "string") io.emit(cmd.emit, ...(Array.isArray(cmd.args) ? cmd.args : []));
  else if (cmd.disconnect) io.disconnectSockets(true);
});

function shutdown() {
  io.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

httpServer.listen(port, "127.0.0.1", () => {
  process.stdout.write(`listening on http://127.0.0.1:${httpServer.address().port}\n`);
});
