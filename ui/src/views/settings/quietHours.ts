// Quiet hours are kept as minutes after midnight and shown as a time input's "HH:MM".

/** The period a schedule starts with when the seller switches it on: 22:00 to 07:00. */
export const DEFAULT_QUIET_HOURS = { startMinute: 22 * 60, endMinute: 7 * 60 } as const;

/** "HH:MM" for minutes after midnight. */
export function clock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}

/** Minutes after midnight for "HH:MM", or null. */
export function minutes(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [hours, mins] = [Number(match[1]), Number(match[2])];
  return hours < 24 && mins < 60 ? hours * 60 + mins : null;
}
