// Rendering a screen in a test: the real generated commands over Tauri's IPC mock, a fresh
// query client and app state. `ipc` answers commands by name; every call is recorded.

import { QueryClientProvider } from "@tanstack/solid-query";
import { mockIPC, clearMocks } from "@tauri-apps/api/mocks";
import { render } from "@solidjs/testing-library";
import type { JSX } from "solid-js";
import { afterEach } from "vitest";
import { AppProvider } from "./app/context";
import { type AppState, createAppState } from "./app/state";
import type { AppInfo } from "./bindings/AppInfo";
import { createQueryClient } from "./queries/client";

export type IpcHandler = (args: Record<string, unknown>) => unknown;
export type Calls = { command: string; args: Record<string, unknown> }[];

export const SIGNED_IN: AppInfo = {
  mode: "live",
  server: "https://market.example",
  dataDir: "/home/seller/.local/share/sellerdesk",
  signedIn: true,
  userId: "seller-1",
  connection: { state: "connected", transport: "websocket", since: "2026-12-01T10:00:00Z" },
  latencyMs: 12,
  tokenExpiresAt: null,
  pendingOutbox: 0,
  startupError: null,
  cacheNotice: null,
  signOutNotice: null,
  demoAvailable: true,
} as AppInfo;

/** Answers the app's commands from `handlers` (a missing one fails loudly) and records each call. */
export function mockCommands(handlers: Record<string, IpcHandler>): Calls {
  const calls: Calls = [];
  mockIPC((command, payload) => {
    const args = (payload ?? {}) as Record<string, unknown>;
    calls.push({ command, args });
    const handler = handlers[command];
    if (!handler) throw new Error(`no mock for command ${command}`);
    return handler(args);
  });
  return calls;
}

afterEach(() => clearMocks());

export function renderWithApp(ui: () => JSX.Element, options: { app?: AppState; info?: AppInfo | null } = {}) {
  const app = options.app ?? createAppState();
  const info = options.info === undefined ? SIGNED_IN : options.info;
  if (info) app.setInfo(info);
  const client = createQueryClient();
  const result = render(() => (
    <QueryClientProvider client={client}>
      <AppProvider state={app}>{ui()}</AppProvider>
    </QueryClientProvider>
  ));
  return { ...result, app, client };
}
