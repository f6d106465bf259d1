import { cleanup, fireEvent, screen, waitFor } from "@solidjs/testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppInfo } from "../bindings/AppInfo";
import { createAppState } from "../app/state";
import { keys } from "../queries/keys";
import { type IpcHandler, SIGNED_IN, mockCommands, renderWithApp } from "../test-utils";
import { seriousViolations } from "./axe.test-util";
import { REAUTH_NOTE, SignInScreen } from "./SignInScreen";

afterEach(cleanup);

/** Live mode without an account, the demo on offer. */
const SIGNED_OUT = { ...SIGNED_IN, signedIn: false, userId: null, connection: null, server: null, demoAvailable: true } as AppInfo;

/** A copy each time: the app state's store adopts the object it is given and merges later ones into it. */
function renderSignIn(info: Partial<AppInfo> & Record<string, unknown> = {}) {
  return renderWithApp(() => <SignInScreen />, { info: { ...SIGNED_OUT, ...info } as AppInfo });
}

const serverField = () => document.querySelector<HTMLInputElement>('.signin-card input[name="server"]') as HTMLInputElement;
const tokenField = () => document.querySelector<HTMLInputElement>('.signin-card input[name="token"]') as HTMLInputElement;
const form = () => document.querySelector<HTMLFormElement>("form.signin-card") as HTMLFormElement;

function fill(server: string, token: string): void {
  fireEvent.input(serverField(), { target: { value: server } });
  fireEvent.input(tokenField(), { target: { value: token } });
}

function signInWith(handler: IpcHandler) {
  return mockCommands({ sign_in: handler });
}

describe("sign-in form", () => {
  it("has no serious axe-core violation, with an error shown or not, and in re-auth mode", async () => {
    signInWith(() => Promise.reject({ code: "AUTH_FAILED", message: "Token rejected" }));
    const { app } = renderSignIn();
    expect(await seriousViolations(document.body)).toEqual([]);
    fill("https://market.example", "t");
    fireEvent.submit(form());
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("Token rejected"));
    expect(await seriousViolations(document.body)).toEqual([]);
    app.setReauth(true);
    expect(await seriousViolations(document.body)).toEqual([]);
  });

  it("asks for the server and the token, every field named", () => {
    mockCommands({});
    renderSignIn();
    expect(screen.getByRole("heading", { name: "Sign in to your marketplace" })).toBeInTheDocument();
    expect(screen.getByLabelText("Server")).toBe(serverField());
    expect(screen.getByLabelText("Access token")).toBe(tokenField());
    expect(serverField()).toHaveAttribute("type", "url");
    expect(serverField()).toBeRequired();
    expect(tokenField()).toHaveAttribute("type", "password");
    expect(tokenField()).toHaveAttribute("autocomplete", "off");
    expect(screen.getByText("The access token is kept in your system keychain, never on disk.")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("");
    expect(screen.getByRole("button", { name: "Sign in" })).toHaveAttribute("type", "submit");
    for (const control of document.querySelectorAll<HTMLElement>(".signin input, .signin button")) {
      const name = control.closest("label")?.textContent ?? control.textContent ?? "";
      expect(name.trim(), control.outerHTML).not.toBe("");
    }
  });

  it("signs in with the trimmed server and the token, then empties the token and refreshes everything", async () => {
    let answer!: (info: AppInfo) => void;
    const calls = signInWith(() => new Promise<AppInfo>((resolve) => (answer = resolve)));
    const { app, client } = renderSignIn();
    client.setQueryData(keys.conversations(), []);
    const invalidate = vi.spyOn(client, "invalidateQueries");
    fill("  https://market.example  ", "header.payload.signature");
    fireEvent.submit(form());
    expect(calls).toEqual([{ command: "sign_in", args: { server: "https://market.example", token: "header.payload.signature" } }]);
    // The token left the field the moment the form was sent.
    expect(tokenField().value).toBe("");
    const submit = screen.getByRole("button", { name: "Signing in…" }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    // A second press while the first is out sends nothing.
    fill("https://market.example", "again");
    fireEvent.submit(form());
    expect(calls).toHaveLength(1);
    answer({ ...SIGNED_IN, server: "https://market.example" });
    await waitFor(() => expect(app.state.info?.signedIn).toBe(true));
    expect(app.state.reauth).toBe(false);
    expect(invalidate).toHaveBeenCalledWith();
    expect(client.getQueryState(keys.conversations())?.isInvalidated).toBe(true);
    expect(screen.getByRole("button", { name: "Sign in" })).not.toBeDisabled();
  });

  it("shows the backend's error in the form, keeps nothing of the token, and asks for it again", async () => {
    signInWith(() => Promise.reject({ code: "SERVER_UNREACHABLE", message: "Could not reach http://127.0.0.1:9" }));
    const { app } = renderSignIn();
    fill("http://127.0.0.1:9", "a.b.c");
    fireEvent.submit(form());
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("Could not reach http://127.0.0.1:9"));
    expect(document.querySelector(".form-error")?.textContent).toBe("Could not reach http://127.0.0.1:9");
    expect(tokenField().value).toBe("");
    expect(serverField().value).toBe("http://127.0.0.1:9");
    expect(document.activeElement).toBe(tokenField());
    expect(app.state.info?.signedIn).toBe(false);
    // Nothing anywhere holds the token: not the page, not the app state.
    expect(document.body.innerHTML).not.toContain("a.b.c");
    expect(JSON.stringify(app.state)).not.toContain("a.b.c");
  });

  it("clears the last error when the seller tries again", async () => {
    let attempt = 0;
    signInWith(() => (++attempt === 1 ? Promise.reject({ code: "AUTH_FAILED", message: "Token rejected" }) : new Promise(() => {})));
    renderSignIn();
    fill("https://market.example", "bad");
    fireEvent.submit(form());
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("Token rejected"));
    fill("https://market.example", "good");
    fireEvent.submit(form());
    expect(screen.getByRole("alert")).toHaveTextContent("");
  });

  it("shows why the session could not start, or what the last sign-out could not remove", () => {
    mockCommands({});
    renderSignIn({ startupError: { code: "KEYCHAIN_UNAVAILABLE", message: "The keychain is locked" } });
    expect(screen.getByRole("alert")).toHaveTextContent("The keychain is locked");
    cleanup();
    renderSignIn({ signOutNotice: { code: "SIGN_OUT_INCOMPLETE", message: "The cache could not be removed" } });
    expect(screen.getByRole("alert")).toHaveTextContent("The cache could not be removed");
  });

  it("replaces a startup error with the form's own once the seller tries", async () => {
    signInWith(() => Promise.reject({ code: "AUTH_FAILED", message: "Token rejected" }));
    renderSignIn({ startupError: { code: "KEYCHAIN_UNAVAILABLE", message: "The keychain is locked" } });
    fill("https://market.example", "t");
    fireEvent.submit(form());
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("Token rejected"));
    expect(screen.getByRole("alert")).not.toHaveTextContent("keychain");
  });
});

describe("the demo marketplace", () => {
  it("is offered when the backend has it, and goes into it", async () => {
    const demo = { ...SIGNED_IN, mode: "demo", server: null } as AppInfo;
    const calls = mockCommands({ try_demo: () => demo });
    const { app } = renderSignIn();
    const reset = vi.fn();
    app.onSessionReset(reset);
    const button = screen.getByRole("button", { name: "Try the demo marketplace" }) as HTMLButtonElement;
    expect(button).toHaveClass("ghost", "try-demo");
    button.click();
    expect(button.disabled).toBe(true);
    button.click();
    await waitFor(() => expect(reset).toHaveBeenCalledTimes(1));
    expect(calls.map((c) => c.command)).toEqual(["try_demo"]);
    expect(app.state.info?.mode).toBe("demo");
    expect(app.phase()).toBe("demo");
  });

  it("is not offered when the backend has no demo (or does not say)", () => {
    mockCommands({});
    renderSignIn({ demoAvailable: false });
    expect(document.querySelector(".try-demo")).toBeNull();
    cleanup();
    const { demoAvailable: _, ...older } = SIGNED_OUT as AppInfo & { demoAvailable?: boolean };
    renderWithApp(() => <SignInScreen />, { info: older as AppInfo });
    expect(document.querySelector(".try-demo")).toBeNull();
  });

  it("shows why the demo did not start, in the form and the status bar", async () => {
    mockCommands({ try_demo: () => Promise.reject({ code: "DEMO_FAILED", message: "The simulator did not start" }) });
    const { app } = renderSignIn();
    screen.getByRole("button", { name: "Try the demo marketplace" }).click();
    await waitFor(() => expect(screen.getByRole("alert")).toHaveTextContent("The simulator did not start"));
    expect(app.state.problem?.text).toBe("The simulator did not start");
    expect(app.state.info?.mode).toBe("live");
    expect(screen.getByRole("button", { name: "Try the demo marketplace" })).not.toBeDisabled();
  });
});

describe("signing in again after the token was rejected", () => {
  const rejected = {
    ...SIGNED_IN,
    server: "https://market.example",
    connection: { state: "authFailed", message: "AUTH_FAILED" },
  } as AppInfo;

  it("knows the server, says the cache stays, asks only for the token and offers no demo", () => {
    mockCommands({});
    const { app } = renderWithApp(() => <SignInScreen />, { info: { ...rejected } });
    expect(serverField().value).toBe("");
    app.setReauth(true);
    expect(serverField().value).toBe("https://market.example");
    expect(screen.getByText(REAUTH_NOTE)).toBeInTheDocument();
    expect(screen.queryByText("The access token is kept in your system keychain, never on disk.")).toBeNull();
    expect(document.activeElement).toBe(tokenField());
    expect(document.querySelector(".try-demo")).toBeNull();
  });

  it("is prefilled when shown in that mode, and leaves it on success", async () => {
    const calls = signInWith(() => ({ ...rejected, connection: { state: "connecting" } }));
    const app = createAppState();
    app.setReauth(true);
    const { client } = renderWithApp(() => <SignInScreen />, { app, info: { ...rejected } });
    const invalidate = vi.spyOn(client, "invalidateQueries");
    expect(serverField().value).toBe("https://market.example");
    expect(document.activeElement).toBe(tokenField());
    fireEvent.input(tokenField(), { target: { value: "new.token.here" } });
    fireEvent.submit(form());
    await waitFor(() => expect(app.state.reauth).toBe(false));
    expect(calls[0]?.args).toEqual({ server: "https://market.example", token: "new.token.here" });
    expect(app.state.connection?.state).toBe("connecting");
    expect(invalidate).toHaveBeenCalled();
    expect(app.phase()).toBe("live");
  });
});
