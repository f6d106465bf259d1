// Self-test of the reference peer (server.mjs) with the official socket.io-client.
// Run: node --test tests/interop/
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { io } from "socket.io-client";

const SERVER = new URL("./server.mjs", import.meta.url).pathname;
const FIXTURES = JSON.parse(
  readFileSync(new URL("../../crates/protocol/fixtures/server-events.json", import.meta.url), "utf8"),
);

/** Starts server.mjs; resolves {url, lines, waitFor, stop} once it printed its first line. */
function startServer(args) {
  const child = spawn(process.execPath, [SERVER, "--port", "0", ...args], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = [];
  const waiters = [];
  const rl = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start")), 10_000);
    rl.on("line", (line) => {
      if (line.startsWith("listening on ")) {
        clearTimeout(timer);
        resolve({
          url: line.slice("listening on ".length),
          lines,
          child,
          waitFor(pred, ms = 5000) {
            const hit = lines.find(pred);
            if (hit) return Promise.resolve(hit);
            return new Promise((res, rej) => {
              const t = setTimeout(() => rej(new Error("timed out waiting for a server line")), ms);
              waiters.push({ pred, res: (v) => (clearTimeout(t), res(v)) });
            });
          },
          stop() {
            child.kill("SIGTERM");
            return new Promise((res) => child.once("exit", res));
          },
        });
        return;
      }
      const obj = JSON.parse(line);
      lines.push(obj);
      for (const w of waiters.splice(0)) {
        if (w.pred(obj)) w.res(obj);
        else waiters.push(w);
      }
    });
  });
}

/** Connects and records every event with its argument list. */
function connect(url, opts) {
  const socket = io(url, { reconnection: false, forceNew: true, ...opts });
  const got = [];
  socket.onAny((name, ...args) => got.push({ name, args }));
  const waitEvents = (pred, ms = 5000) =>
    new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error(`timed out; got ${got.map((g) => g.name).join(",")}`)), ms);
      const check = () => {
        if (pred(got)) {
          clearTimeout(t);
          socket.offAny(check);
          res(got);
        }
      };
      socket.onAny(check);
      check();
    });
  return { socket, got, waitEvents };
}

test("a wrong token is rejected with AUTH_FAILED and data", async () => {
  const srv = await startServer(["--token", "good.jwt.x"]);
  try {
    const { socket } = connect(srv.url, { auth: { token: "Bearer wrong" } });
    const err = await new Promise((res) => socket.on("connect_error", res));
    assert.equal(err.message, "AUTH_FAILED");
    assert.deepEqual(err.data, { code: "AUTH_FAILED", message: "invalid token" });
    socket.close();
    await srv.waitFor((l) => l.auth_failed);
  } finally {
    await srv.stop();
  }
});

test("fixtures in order, zero-arg ping, echoes and recorded client events", async () => {
  const srv = await startServer(["--token", "good.jwt.x", "--ping-interval-ms", "200"]);
  try {
    const c = connect(srv.url, { auth: { token: "Bearer good.jwt.x" }, transports: ["websocket"] });
    // every fixture event plus at least one periodic ping
    await c.waitEvents((got) => got.length >= FIXTURES.length + 1);
    const first = c.got.slice(0, FIXTURES.length);
    assert.deepEqual(
      first.map((g) => g.name),
      FIXTURES.map((f) => f.event),
    );
    for (const [i, f] of FIXTURES.entries()) {
      assert.deepEqual(first[i].args, "data" in f ? [f.data] : [], `args of ${f.event}`);
    }
    assert.deepEqual(c.got[FIXTURES.length], { name: "ping", args: [] });

    c.socket.emit("pong", { timestamp: 1 });
    c.socket.emit("health.check");
    c.socket.emit("chat.send", { conversationId: "conv-1", content: "hello", clientMessageId: "cm-1" });
    c.socket.emit("chat.batch", [
      { conversationId: "conv-1", content: "b1", clientMessageId: "cm-2" },
      { conversationId: "conv-2", content: "b2", clientMessageId: "cm-3", attachments: [{ type: "file", url: "u" }] },
    ]);
    const echoes = () => c.got.filter((g) => g.name === "chat.message" && g.args[0].clientMessageId);
    await c.waitEvents(() => echoes().length >= 3);
    const [e1, e2, e3] = echoes().map((g) => g.args[0]);
    assert.equal(e1.clientMessageId, "cm-1");
    assert.equal(e1.content, "hello");
    assert.deepEqual(e1.sender, { id: "seller-1", name: "Seller", avatar: "" });
    assert.equal(e1.status, "sent");
    assert.deepEqual(e1.attachments, []);
    assert.ok(!Number.isNaN(Date.parse(e1.timestamp)));
    assert.equal(e2.clientMessageId, "cm-2");
    assert.equal(e3.conversationId, "conv-2");
    assert.deepEqual(e3.attachments, [{ type: "file", url: "u" }]);

    await srv.waitFor((l) => l.recv === "chat.batch");
    // `t` is the arrival time (for latency benchmarks) and `sid` the socket it came from: both
    // present, otherwise ignored.
    const recv = srv.lines.filter((l) => l.recv).map(({ t, sid, ...line }) => {
      assert.equal(typeof t, "number");
      assert.equal(sid, c.socket.id);
      return line;
    });
    assert.deepEqual(recv[0], { recv: "pong", args: [{ timestamp: 1 }] });
    assert.deepEqual(recv[1], { recv: "health.check", args: [] });
    assert.equal(recv[2].recv, "chat.send");
    assert.equal(recv[3].args[0].length, 2);
    assert.ok(srv.lines.find((l) => l.connect && l.auth.token === "Bearer good.jwt.x"));

    // stdin control: emit on demand
    srv.child.stdin.write(JSON.stringify({ emit: "listing.stock", args: [{ listingId: "l", quantity: 1, status: "low_stock" }] }) + "\n");
    await c.waitEvents((got) => got.some((g) => g.name === "listing.stock" && g.args[0].listingId === "l"));
    c.socket.close();
    await srv.waitFor((l) => l.disconnect);
  } finally {
    await srv.stop();
  }
});

test("--polling-only refuses websocket-only clients, serves polling ones", async () => {
  const srv = await startServer(["--polling-only", "--no-events", "--ping-interval-ms", "0"]);
  try {
    const ws = connect(srv.url, { transports: ["websocket"], timeout: 3000 });
    await new Promise((res) => ws.socket.on("connect_error", res));
    ws.socket.close();
    const poll = connect(srv.url, { transports: ["polling", "websocket"] });
    await new Promise((res) => poll.socket.on("connect", res));
    assert.equal(poll.socket.io.engine.transport.name, "polling");
    poll.socket.emit("health.check");
    await srv.waitFor((l) => l.recv === "health.check");
    const c = srv.lines.find((l) => l.connect);
    assert.equal(c.transport, "polling");
    poll.socket.close();
  } finally {
    await srv.stop();
  }
});

test("health.check asked with an ack is answered with {status, timestamp}", async () => {
  const srv = await startServer(["--no-events", "--ping-interval-ms", "0"]);
  try {
    const c = connect(srv.url, { transports: ["websocket"] });
    const before = Date.now();
    const answer = await c.socket.timeout(5000).emitWithAck("health.check");
    assert.equal(answer.status, "ok");
    assert.ok(answer.timestamp >= before, `timestamp ${answer.timestamp}`);
    const line = await srv.waitFor((l) => l.recv === "health.check");
    assert.equal(line.ack, true);
    assert.deepEqual(line.args, []);
    c.socket.close();
  } finally {
    await srv.stop();
  }
});

test("--flood sends N chat.message events at the given rate", async () => {
  const srv = await startServer(["--no-events", "--ping-interval-ms", "0", "--flood", "300", "--flood-rate", "3000"]);
  try {
    const c = connect(srv.url, { transports: ["websocket"] });
    await c.waitEvents((got) => got.filter((g) => g.name === "chat.message").length >= 300);
    const ids = c.got.map((g) => g.args[0].id);
    assert.equal(ids[0], "flood-1");
    assert.equal(ids[299], "flood-300");
    const done = await srv.waitFor((l) => l.flood_done);
    assert.equal(done.flood_done, 300);
    assert.ok(done.ms >= 50, `300 at 3000/s should take ~100 ms, took ${done.ms}`);
    c.socket.close();
  } finally {
    await srv.stop();
  }
});
