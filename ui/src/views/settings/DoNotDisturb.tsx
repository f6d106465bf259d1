// "Do not disturb": now, every day between two times (quiet hours), and whether orders and
// payments are quiet too.

import type { JSX } from "solid-js";
import type { NotificationSettings } from "../../bindings/NotificationSettings";
import type { SettingsEditor } from "./editor";
import { DEFAULT_QUIET_HOURS, clock, minutes } from "./quietHours";
import { SettingRow } from "./SettingRow";

function QuietTime(props: { label: string; value: number; disabled: boolean; onSet: (minute: number) => void }): JSX.Element {
  return (
    <input
      type="time"
      aria-label={props.label}
      value={clock(props.value)}
      disabled={props.disabled}
      onChange={(event) => {
        // A time half typed is not saved; the seller finishes it or leaves the saved one.
        const minute = minutes(event.currentTarget.value);
        if (minute !== null) props.onSet(minute);
      }}
    />
  );
}

export function DoNotDisturb(props: { editor: SettingsEditor<NotificationSettings> }): JSX.Element {
  const dnd = () => props.editor.shown().doNotDisturb;
  const schedule = () => dnd().schedule ?? null;
  const change = props.editor.change;
  return (
    <fieldset class="settings-group">
      <legend>Do not disturb</legend>
      <SettingRow
        label="Do not disturb now"
        hint="Until you switch it off"
        checked={dnd().on}
        saving={props.editor.saving("dnd.on")}
        onChange={(on) => change("dnd.on", (draft) => (draft.doNotDisturb.on = on))}
      />
      <SettingRow
        label="Every day, quietly between"
        checked={schedule() !== null}
        saving={props.editor.saving("dnd.schedule")}
        onChange={(on) => change("dnd.schedule", (draft) => (draft.doNotDisturb.schedule = on ? { ...DEFAULT_QUIET_HOURS } : null))}
      />
      <div class="quiet-hours">
        <QuietTime
          label="Quiet from"
          value={schedule()?.startMinute ?? DEFAULT_QUIET_HOURS.startMinute}
          disabled={schedule() === null}
          onSet={(minute) =>
            change("dnd.start", (draft) => {
              if (draft.doNotDisturb.schedule) draft.doNotDisturb.schedule.startMinute = minute;
            })
          }
        />
        <span class="muted">and</span>
        <QuietTime
          label="Quiet until"
          value={schedule()?.endMinute ?? DEFAULT_QUIET_HOURS.endMinute}
          disabled={schedule() === null}
          onSet={(minute) =>
            change("dnd.end", (draft) => {
              if (draft.doNotDisturb.schedule) draft.doNotDisturb.schedule.endMinute = minute;
            })
          }
        />
      </div>
      <SettingRow
        label="Orders and payments too"
        hint="By default they still notify while you are not to be disturbed"
        checked={dnd().includeMoney}
        saving={props.editor.saving("dnd.includeMoney")}
        onChange={(on) => change("dnd.includeMoney", (draft) => (draft.doNotDisturb.includeMoney = on))}
      />
    </fieldset>
  );
}
