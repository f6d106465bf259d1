// A status as a coloured pill; `data-value` carries the raw status for styling and tests.

import type { JSX } from "solid-js";
import { humanize } from "../../format";

export function Pill(props: { value: string | null | undefined }): JSX.Element {
  return (
    <span class="pill" data-value={props.value ?? "none"} dir="auto">
      {humanize(props.value)}
    </span>
  );
}
