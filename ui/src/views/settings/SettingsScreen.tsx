// Settings: which notifications the seller gets, do not disturb and quiet hours, the desktop
// and conversation preferences, and the seller's data (folder, cache size, clearing, sign out).
// Every change is saved at once (the backend applies it to the running session); the rows are
// built once and follow the saved values, so a row being saved keeps its focus.

import { createQuery } from "@tanstack/solid-query";
import { type JSX, Match, Show, Switch } from "solid-js";
import { useApp } from "../../app/context";
import { applyZoom } from "../../app/zoom";
import { commands } from "../../bindings/commands";
import type { DesktopPreferences } from "../../bindings/DesktopPreferences";
import type { NotificationSettings } from "../../bindings/NotificationSettings";
import { toCommandError } from "../../ipc";
import { keys } from "../../queries/keys";
import { ConversationsGroup } from "./ConversationsGroup";
import { DesktopGroup } from "./DesktopGroup";
import { DoNotDisturb } from "./DoNotDisturb";
import { createSettingsEditor } from "./editor";
import { NotificationCategories } from "./NotificationCategories";
import { YourData } from "./YourData";

function DesktopSettings(props: { initial: DesktopPreferences; saved: () => DesktopPreferences | undefined }): JSX.Element {
  const app = useApp();
  const editor = createSettingsEditor<DesktopPreferences>({
    key: keys.desktopPreferences(),
    initial: props.initial,
    saved: props.saved,
    save: (next) => commands.setDesktopPreferences(next),
    onSaved: (next, previous) => {
      // Typing shown before the switch went off would stay up until it ran out.
      if (previous.showTyping && !next.showTyping) app.clearTyping();
      // The shell follows the saved size too; applied here it does not wait for the query.
      if (next.textZoom !== previous.textZoom) applyZoom(next.textZoom);
    },
  });
  return (
    <>
      <DesktopGroup editor={editor} />
      <ConversationsGroup editor={editor} />
    </>
  );
}

function LoadedSettings(props: { initial: NotificationSettings; saved: () => NotificationSettings | undefined }): JSX.Element {
  const app = useApp();
  const editor = createSettingsEditor<NotificationSettings>({
    key: keys.notificationSettings(),
    initial: props.initial,
    saved: props.saved,
    save: (next) => commands.setNotificationSettings(next),
  });
  const desktop = createQuery(() => ({
    queryKey: keys.desktopPreferences(),
    queryFn: () => commands.desktopPreferences(),
  }));
  const muted = () => editor.shown().mutedConversations.length;
  return (
    <>
      <h2>Notifications</h2>
      <NotificationCategories editor={editor} />
      <DoNotDisturb editor={editor} />
      <Switch>
        <Match when={desktop.isSuccess && desktop.data}>
          {(loaded) => <DesktopSettings initial={loaded()} saved={() => desktop.data} />}
        </Match>
        <Match when={desktop.isError}>
          <p class="muted" role="alert">
            {`The desktop preferences could not be read: ${toCommandError(desktop.error).message}`}
          </p>
        </Match>
      </Switch>
      <Show when={app.state.info}>
        <YourData />
      </Show>
      <Show when={muted() > 0}>
        <p class="muted">{`${muted()} muted conversation(s); unmute them from their header.`}</p>
      </Show>
    </>
  );
}

export function SettingsScreen(): JSX.Element {
  const notifications = createQuery(() => ({
    queryKey: keys.notificationSettings(),
    queryFn: () => commands.notificationSettings(),
  }));
  return (
    <section class="settings-pane" aria-label="Settings">
      <Switch fallback={<p class="empty">Loading…</p>}>
        <Match when={notifications.isSuccess && notifications.data}>
          {(loaded) => <LoadedSettings initial={loaded()} saved={() => notifications.data} />}
        </Match>
        <Match when={notifications.isError}>
          <p class="empty" role="alert">
            {`The notification settings could not be read: ${toCommandError(notifications.error).message}`}
          </p>
        </Match>
      </Switch>
    </section>
  );
}
