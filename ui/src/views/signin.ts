// The sign-in form shown in live mode when the data folder has no account.

import { h, replaceChildren } from "../dom";

export type SignInForm = {
  element: HTMLElement;
  showError(message: string | null): void;
  /** Signing in again after the server rejected the token: the server is known, the cache stays. */
  prefill(serverUrl: string, note: string): void;
};

export function createSignIn(onSubmit: (server: string, token: string) => Promise<void>): SignInForm {
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
    element: h("section", { class: "signin" }, form),
    showError(message) {
      replaceChildren(error, message ?? "");
    },
    prefill(serverUrl, note) {
      server.value = serverUrl;
      replaceChildren(intro, note);
      token.focus();
    },
  };
}
