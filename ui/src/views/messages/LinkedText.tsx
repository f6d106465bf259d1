// Message text with its links as real links (announced as links, reachable by Tab), none of
// which navigates the webview: a click or Enter (which clicks a link) asks first, and only on
// the seller's yes is the URL handed to the app, which opens it in the system browser.

import { For, type JSX, Show, createMemo } from "solid-js";
import { toCommandError } from "../../ipc";
import { confirmOpenLink } from "./confirmations";
import type { MessageActions } from "./context";
import { linkify } from "./linkify";

export type LinkedTextProps = {
  text: string;
  /** Without actions, links stay text (nothing could open them). */
  actions?: MessageActions;
  /** What the seller should read about the last link (a failure), or "" once one opened. */
  onNote: (note: string) => void;
};

/** Stops the webview's own handling of a link (following it, a new window, its menu). */
function keepInApp(event: Event): void {
  event.preventDefault();
}

function MessageLink(props: { text: string; href: string; actions: MessageActions; onNote: (note: string) => void }): JSX.Element {
  const open = async (event: MouseEvent & { currentTarget: HTMLAnchorElement }) => {
    // Whatever the modifier keys, the webview never follows it: only the app opens links.
    event.preventDefault();
    const link = event.currentTarget;
    if (!(await confirmOpenLink(props.href, link))) return;
    try {
      await props.actions.openLink(props.href);
      props.onNote("");
    } catch (error) {
      props.onNote(`Could not open the link: ${toCommandError(error).message}`);
    }
  };
  return (
    <a
      class="message-link"
      href={props.href}
      title={props.href}
      dir="auto"
      // Dropped on the window, a link would navigate it.
      draggable="false"
      onClick={open}
      // A middle click opens a new webview window; the context menu offers "Open Link" in this
      // one. Both would skip the question and load the buyer's page inside the app.
      on:auxclick={keepInApp}
      on:contextmenu={keepInApp}
    >
      {props.text}
    </a>
  );
}

export function LinkedText(props: LinkedTextProps): JSX.Element {
  // Rows get a new context object when, say, the found message changes; the same actions must
  // not cost a new parse or new link elements (one with focus would lose it).
  const actions = createMemo(() => props.actions);
  const linked = createMemo(() => {
    const available = actions();
    return available ? { actions: available, parts: linkify(props.text) } : null;
  });
  return (
    <Show when={linked()} fallback={props.text}>
      {(text) => (
        <For each={text().parts}>
          {(part) =>
            part.href === null ? (
              part.text
            ) : (
              <MessageLink text={part.text} href={part.href} actions={text().actions} onNote={props.onNote} />
            )
          }
        </For>
      )}
    </Show>
  );
}
