// The one logging interface controllers use. In Azure it writes through the invocation context (and so
// to Application Insights); locally, one line per event. Never pass secrets in messages or fields.
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** A logger that writes one line per event to a stream, as `level message key=value ...`. */
export function lineLogger(write: (line: string) => void, prefix = ""): Logger {
  const line = (level: string, message: string, fields?: LogFields) => {
    const rest = Object.entries(fields ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${typeof v === "string" && /\s/.test(v) ? JSON.stringify(v) : String(v)}`)
      .join(" ");
    write(`${prefix}${level} ${message}${rest === "" ? "" : ` ${rest}`}`);
  };
  return {
    info: (m, f) => line("info ", m, f),
    warn: (m, f) => line("warn ", m, f),
    error: (m, f) => line("error", m, f),
  };
}
