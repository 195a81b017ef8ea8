// The period of an NCRONTAB schedule of the form "*/N * * * * *" (every N seconds), the one form
// functions/triggers.ts uses; the local host runs timers by it too.
export function everySeconds(schedule: string): number {
  const match = /^\*\/(\d+) \* \* \* \* \*$/.exec(schedule);
  if (match === null) throw new Error(`only "*/N * * * * *" schedules are used here, not "${schedule}"`);
  return Number(match[1]);
}
