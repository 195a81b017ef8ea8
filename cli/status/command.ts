// `aci-connector status`: one screen of what the connector does (cli/status/report.ts decides what, render.ts
// prints it), or JSON for scripts; --watch redraws it until Ctrl-C. It only reads (collect.ts).
import { systemClock } from "../../shared/runtime/clock.js";
import { azureOnlyArguments } from "../connector-options.js";
import type { Command } from "../main.js";
import { collectStatus, openStatusSource, statusReaders } from "./collect.js";
import { parseStatusOptions, statusHelp, type StatusOptions } from "./options.js";
import { renderStatus } from "./render.js";
import { buildStatusReport } from "./report.js";

/** Moves the cursor home and clears the screen, so each --watch screen replaces the last. */
const clearScreen = "\x1b[H\x1b[2J";

export const statusCommand: Command = async (args) => {
  const parsed = parseStatusOptions(args);
  if (!parsed.ok) {
    if (parsed.help) return (process.stdout.write(statusHelp), 0);
    process.stderr.write(`${parsed.error}\n\n${statusHelp}`);
    return 2;
  }
  // On stderr, so --output json stays one JSON object. --kubeconfig does name something locally: the reader.
  const ignored = parsed.options.target.local ? azureOnlyArguments(parsed.options.target).filter((flag) => flag !== "--kubeconfig") : [];
  if (ignored.length > 0) process.stderr.write(`the local run has no Azure cluster: ${ignored.join(", ")} ignored\n`);
  try {
    return await show(parsed.options);
  } catch (error) {
    process.stderr.write(`aci-connector status failed: ${(error as Error).message}\n`);
    return 1;
  }
};

async function show(options: StatusOptions): Promise<number> {
  const source = await openStatusSource(options.target);
  const readers = statusReaders(source.kube);
  const screen = async () => {
    const report = buildStatusReport(await collectStatus(source, readers, systemClock));
    return options.output === "json" ? `${JSON.stringify(report)}\n` : renderStatus(report);
  };
  if (options.watchSeconds === undefined) {
    process.stdout.write(await screen());
    return 0;
  }
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: () => void = () => undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    wake();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  while (!stopped) {
    let text: string;
    try {
      text = await screen();
    } catch (error) {
      // A watch outlives a failed read: it says so and tries again at the next interval.
      const message = (error as Error).message;
      text = options.output === "json" ? `${JSON.stringify({ error: message })}\n` : `aci-connector status: could not read (${message}); trying again in ${options.watchSeconds}s\n`;
    }
    process.stdout.write(options.output === "json" ? text : `${clearScreen}${text}`);
    await new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, options.watchSeconds! * 1000);
    });
  }
  return 0;
}
