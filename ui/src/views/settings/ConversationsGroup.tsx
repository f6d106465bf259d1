// "Conversations": what the seller sees of buyers (typing, read receipts) and image previews.

import type { JSX } from "solid-js";
import type { DesktopPreferences } from "../../bindings/DesktopPreferences";
import type { SettingsEditor } from "./editor";
import { SettingRow } from "./SettingRow";

export function ConversationsGroup(props: { editor: SettingsEditor<DesktopPreferences> }): JSX.Element {
  const shown = () => props.editor.shown();
  return (
    <fieldset class="settings-group">
      <legend>Conversations</legend>
      <SettingRow
        label="Show when a buyer is typing"
        checked={shown().showTyping}
        saving={props.editor.saving("showTyping")}
        onChange={(on) => props.editor.change("showTyping", (draft) => (draft.showTyping = on))}
      />
      <SettingRow
        label="Show when buyers have read my messages"
        hint="Off: read messages show as delivered (✓)"
        checked={shown().showReadReceipts}
        saving={props.editor.saving("showReadReceipts")}
        onChange={(on) => props.editor.change("showReadReceipts", (draft) => (draft.showReadReceipts = on))}
      />
      <SettingRow
        label="Load image previews automatically"
        hint="Off: a preview loads only when you click it (nothing is fetched from a buyer's link until then)"
        checked={shown().loadPreviewsAutomatically}
        saving={props.editor.saving("loadPreviewsAutomatically")}
        onChange={(on) =>
          props.editor.change("loadPreviewsAutomatically", (draft) => (draft.loadPreviewsAutomatically = on))
        }
      />
    </fieldset>
  );
}
