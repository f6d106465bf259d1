// A minimal W3C WebDriver client over fetch (Node 20), plus the process helpers the e2e tests
// share: free ports, child processes that are always cleaned up, polling with a deadline.

import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export async function freePort() {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns a truthy value, or fails with the last value/error. */
export async function waitFor(what, probe, { timeoutMs = 20_000, intervalMs = 150 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Starts a process in its own process group, so stop() ends it and its children (tauri-driver
 * starts WebKitWebDriver, which starts the app) and nothing else.
 */
export function startProcess(command, args, { env = {}, stdin = "ignore" } = {}) {
  const child = spawn(command, args, {
    env: { ...process.env, ...env },
    stdio: [stdin, "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a command to completion; rejects on a non-zero exit with its output. */
export async function run(command, args, { env = {}, input } = {}) {
  const proc = startProcess(command, args, { env, stdin: input === undefined ? "ignore" : "pipe" });
  let stdout = "";
  proc.child.stdout.on("data", (chunk) => (stdout += chunk.toString()));
  if (input !== undefined) proc.child.stdin.end(input);
  const { code, signal } = await proc.exited;
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${code ?? signal}:\n${proc.output()}`);
  return stdout;
}

export class WebDriver {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.sessionId = null;
  }

  async request(method, path, body) {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) {
      const error = json.value ?? {};
      throw new Error(`WebDriver ${method} ${path}: ${response.status} ${error.error ?? ""} ${error.message ?? text}`);
    }
    return json.value;
  }

  async ready() {
    const status = await this.request("GET", "/status");
    return status?.ready !== false;
  }

  async newSession(tauriOptions) {
    const value = await this.request("POST", "/session", {
      capabilities: { alwaysMatch: { "tauri:options": tauriOptions } },
    });
    this.sessionId = value.sessionId;
    return value;
  }

  async deleteSession() {
    if (!this.sessionId) return;
    const id = this.sessionId;
    this.sessionId = null;
    await this.request("DELETE", `/session/${id}`);
  }

  session(path) {
    return `/session/${this.sessionId}${path}`;
  }

  async findAll(css, within = null) {
    const path = within ? `/element/${within}/elements` : "/elements";
    const found = await this.request("POST", this.session(path), { using: "css selector", value: css });
    return found.map((element) => element[ELEMENT]);
  }

  async find(css, within = null) {
    const [first] = await this.findAll(css, within);
    return first ?? null;
  }

  text(element) {
    return this.request("GET", this.session(`/element/${element}/text`));
  }

  attribute(element, name) {
    return this.request("GET", this.session(`/element/${element}/attribute/${encodeURIComponent(name)}`));
  }

  property(element, name) {
    return this.request("GET", this.session(`/element/${element}/property/${encodeURIComponent(name)}`));
  }

  click(element) {
    return this.request("POST", this.session(`/element/${element}/click`), {});
  }

  type(element, text) {
    return this.request("POST", this.session(`/element/${element}/value`), { text });
  }

  /** The text of an open alert/confirm dialog, or null when none is open. */
  async alertText() {
    try {
      return await this.request("GET", this.session("/alert/text"));
    } catch (error) {
      if (/no such alert/i.test(String(error))) return null;
      throw error;
    }
  }

  /** Runs `script` (a function body) in the page with `args`; resolves with what it returns. */
  execute(script, args = []) {
    return this.request("POST", this.session("/execute/sync"), { script, args });
  }

  /**
   * Runs `script` (a function body) with `args`; the page calls its last argument with the
   * result (for promises: `arguments[arguments.length - 1]` is the callback).
   */
  executeAsync(script, args = []) {
    return this.request("POST", this.session("/execute/async"), { script, args });
  }

  /**
   * Presses `key` (a character or a WebDriver key code such as CONTROL) with `modifiers` held,
   * as the keyboard does: keydown events reach whatever has focus, then bubble to the window.
   */
  async press(key, modifiers = []) {
    const actions = [
      ...modifiers.map((value) => ({ type: "keyDown", value })),
      { type: "keyDown", value: key },
      { type: "keyUp", value: key },
      ...modifiers.toReversed().map((value) => ({ type: "keyUp", value })),
    ];
    await this.request("POST", this.session("/actions"), { actions: [{ type: "key", id: "keyboard", actions }] });
    await this.request("DELETE", this.session("/actions"));
  }

  async screenshot() {
    const base64 = await this.request("GET", this.session("/screenshot"));
    return Buffer.from(base64, "base64");
  }
}

/** WebDriver's key code for Enter, for `type`. */
export const ENTER = "\uE007";
/** WebDriver's key code for Control, for `press`. */
export const CONTROL = "\uE009";
