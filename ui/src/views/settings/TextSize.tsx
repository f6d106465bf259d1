// The text size (the same zoom as Ctrl+= / Ctrl+- / Ctrl+0), chosen from the zoom's steps.

import { For, type JSX } from "solid-js";
import { ZOOM_DEFAULT, ZOOM_STEPS, clampZoom } from "../../app/zoom";
import type { DesktopPreferences } from "../../bindings/DesktopPreferences";
import type { SettingsEditor } from "./editor";

/** The steps, and a saved size between them (the file edited by hand) so it shows as it is. */
function choices(current: number): number[] {
  const steps: number[] = [...ZOOM_STEPS];
  return steps.includes(current) ? steps : [...steps, current].sort((a, b) => a - b);
}

export function TextSize(props: { editor: SettingsEditor<DesktopPreferences> }): JSX.Element {
  const current = () => clampZoom(props.editor.shown().textZoom);
  const saving = () => props.editor.saving("textZoom");
  return (
    <div class="setting-line text-size">
      <span>
        <label for="setting-text-size">Text size</label>
      </span>
      <select
        id="setting-text-size"
        aria-describedby="setting-text-size-hint"
        aria-busy={saving() ? "true" : undefined}
        value={String(current())}
        onChange={(event) => {
          const percent = clampZoom(Number(event.currentTarget.value));
          props.editor.change("textZoom", (draft) => (draft.textZoom = percent));
        }}
      >
        <For each={choices(current())}>
          {(percent) => <option value={String(percent)}>{percent === ZOOM_DEFAULT ? `${percent}% (default)` : `${percent}%`}</option>}
        </For>
      </select>
      <span id="setting-text-size-hint" class="muted">
        {saving() ? "Saving…" : "Also Ctrl+= and Ctrl+-, Ctrl+0 for the default"}
      </span>
    </div>
  );
}
