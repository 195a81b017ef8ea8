// The local host's timer trigger. Like the Functions host's, a timer runs as a singleton: a run that
// overruns delays the next one instead of overlapping it. Schedules are NCRONTAB with seconds; the local
// host understands the one form functions/triggers.ts uses, "*/N * * * * *" (every N seconds).
import functions, { type Timer, type TimerHandler } from "@azure/functions";
import { everySeconds } from "../../functions/schedule.js";

const { InvocationContext } = functions;

export interface TimerFunction {
  readonly name: string;
  readonly schedule: string;
  readonly handler: TimerHandler;
}

export interface RunningTimers {
  stop(): Promise<void>;
}


export function startTimers(timers: readonly TimerFunction[], log: (line: string) => void): RunningTimers {
  let stopped = false;
  const running = new Set<Promise<void>>();
  const nextRun = new Map<string, NodeJS.Timeout>();

  for (const timer of timers) {
    const periodMs = everySeconds(timer.schedule) * 1000;
    const tick = () => {
      if (stopped) return;
      const started = Date.now();
      const context = new InvocationContext({
        functionName: timer.name,
        logHandler: (level, ...args) => log(`${level} [${timer.name}] ${args.map(String).join(" ")}`),
      });
      const info: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: "", next: "", lastUpdated: "" } };
      const run = Promise.resolve(timer.handler(info, context))
        .then(() => undefined)
        .catch((error: unknown) => log(`error [${timer.name}] ${(error as Error).message}`))
        .finally(() => {
          running.delete(run);
          // The next run starts at the next period boundary after this one ended (singleton semantics).
          const elapsed = Date.now() - started;
          if (!stopped) nextRun.set(timer.name, setTimeout(tick, Math.max(0, periodMs - (elapsed % periodMs))));
        });
      running.add(run);
    };
    nextRun.set(timer.name, setTimeout(tick, 0));
  }

  return {
    async stop() {
      stopped = true;
      for (const handle of nextRun.values()) clearTimeout(handle);
      await Promise.all([...running]);
    },
  };
}
