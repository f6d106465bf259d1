// "Desktop": what closing the window does, starting at login, and the text size.

import type { JSX } from "solid-js";
import type { DesktopPreferences } from "../../bindings/DesktopPreferences";
import type { SettingsEditor } from "./editor";
import { SettingRow } from "./SettingRow";
import { TextSize } from "./TextSize";

export function DesktopGroup(props: { editor: SettingsEditor<DesktopPreferences> }): JSX.Element {
  const shown = () => props.editor.shown();
  return (
    <fieldset class="settings-group">
      <legend>Desktop</legend>
      <SettingRow
        label="Keep running in the tray when the window closes"
        hint="Orders and messages still arrive and notify; Quit from the tray menu"
        checked={shown().closeToTray}
        saving={props.editor.saving("closeToTray")}
        onChange={(on) => props.editor.change("closeToTray", (draft) => (draft.closeToTray = on))}
      />
      <SettingRow
        label="Start Seller Desk when I log in"
        checked={shown().startAtLogin}
        saving={props.editor.saving("startAtLogin")}
        onChange={(on) => props.editor.change("startAtLogin", (draft) => (draft.startAtLogin = on))}
      />
      <TextSize editor={props.editor} />
    </fieldset>
  );
}
