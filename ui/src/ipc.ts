// The one way the UI calls the app: `invoke` with the backend's `{code, message}` failures
// thrown as CommandError. The typed commands (bindings/commands.ts, generated from
// src-tauri/commands.rs) all go through `call`.

import { invoke } from "@tauri-apps/api/core";
import type { AppError } from "./bindings/AppError";

export class CommandError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = "CommandError";
  }
}

export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as AppError).code === "string" &&
    typeof (value as AppError).message === "string"
  );
}

export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  if (isAppError(error)) return new CommandError(error.code, error.message);
  if (error instanceof Error) return new CommandError("IPC_ERROR", error.message);
  return new CommandError("IPC_ERROR", String(error));
}

/** Invokes `command`; a failure is thrown as a CommandError (`IPC_ERROR` when it is not the app's). */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toCommandError(error);
  }
}
