// One on/off setting: a checkbox in a label with its hint. The input stays the same element
// while its change is saved (focus and the seller's click stay), and says "Saving…" meanwhile.

import { type JSX, Show } from "solid-js";

export function SettingRow(props: {
  label: string;
  hint?: string | null;
  checked: boolean;
  saving?: boolean;
  onChange: (checked: boolean) => void;
}): JSX.Element {
  return (
    <label class="setting" aria-busy={props.saving ? "true" : undefined}>
      <input type="checkbox" checked={props.checked} onChange={(event) => props.onChange(event.currentTarget.checked)} />
      <span class="setting-text">
        <span>{props.label}</span>
        <Show when={props.hint}>
          <span class="muted">{props.hint}</span>
        </Show>
        <Show when={props.saving}>
          <span class="muted setting-saving">Saving…</span>
        </Show>
      </span>
    </label>
  );
}
