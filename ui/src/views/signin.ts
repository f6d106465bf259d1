// The sign-in form shown in live mode when the data folder has no account, with the way into
// the demo marketplace.

import { h, replaceChildren } from "../dom";

export type SignInForm = {
  element: HTMLElement;
  showError(message: string | null): void;
  /** Signing in again after the server rejected the token: the server is known, the cache stays. */
  prefill(serverUrl: string, note: string): void;
};

export function createSignIn(
  onSubmit: (server: string, token: string) => Promise<void>,
  /** "Try the demo marketplace": no account needed. */
  onDemo: () => Promise<void> = async () => {},
): SignInForm {
  const server = h("input", {
    type: "url",
    name: "server",
    required: true,
    placeholder: "https://marketplace.example.com",
    autocomplete: "url",
  });
  const token = h("input", { type: "password", name: "token", required: true, autocomplete: "off" });
  const error = h("p", { class: "form-error", role: "alert" });
  const intro = h("p", { class: "muted" }, "The access token is kept in your system keychain, never on disk.");
  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "signin-card" },
    h("h1", {}, "Sign in to your marketplace"),
    intro,
    h("label", {}, h("span", {}, "Server"), server),
    h("label", {}, h("span", {}, "Access token"), token),
    error,
    submit,
  );
  const demo = h("button", { type: "button", class: "ghost try-demo" }, "Try the demo marketplace");
  demo.addEventListener("click", async () => {
    demo.disabled = true;
    try {
      await onDemo();
    } finally {
      demo.disabled = false;
    }
  });
  const demoNote = h(
    "div",
    { class: "signin-demo" },
    h("p", { class: "muted" }, "No account at hand? A simulated marketplace with buyers, orders and listings; nothing is real."),
    demo,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    replaceChildren(submit, "Signing in…");
    try {
      await onSubmit(server.value.trim(), token.value);
      token.value = "";
    } finally {
      submit.disabled = false;
      replaceChildren(submit, "Sign in");
    }
  });
  return {
    element: h("section", { class: "signin" }, h("div", { class: "signin-stack" }, form, demoNote)),
    showError(message) {
      replaceChildren(error, message ?? "");
    },
    prefill(serverUrl, note) {
      // Signing in again keeps this account's cache: the demo is not offered then.
      demoNote.hidden = true;
      server.value = serverUrl;
      replaceChildren(intro, note);
      token.focus();
    },
  };
}
