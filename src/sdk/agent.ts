import type { Entitlement, LicenseClient } from "./license-client.js";

export interface AgentOptions {
  client: LicenseClient;
  /** Called with every entitlement that differs from the one before (status, tier, features or where it came from). */
  onChange?: (e: Entitlement, at: Date) => void;
  /** Called after every check-in, changed or not (the fleet counts them). */
  onCheckIn?: (e: Entitlement, at: Date) => void;
  /** Check in every this many seconds instead of the server's advice (simulations; a real plugin follows the advice). */
  intervalS?: number;
  now?: () => Date;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** What a person watching the plugin would call "a change": not the revision, which moves on every re-signing. */
export function entitlementKey(e: Entitlement): string {
  const features = Object.entries(e.features)
    .map(([k, v]) => `${k}=${v ? "on" : "off"}`)
    .join(" ");
  const problem = e.problem ? (e.problem.kind === "rejected" ? `rejected:${e.problem.reason}` : e.problem.kind) : "";
  return `${e.status} ${e.tier} ${features} ${e.source} ${problem}`;
}

const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    signal.addEventListener("abort", wake, { once: true });
  });

/**
 * A long-lived plugin: checks in, reports changes, waits for the next check-in, and also wakes when the grace window
 * of the document it holds runs out, so an offline site drops to free on time rather than at its next attempt.
 */
export class Agent {
  private last: string | null = null;
  constructor(private readonly opts: AgentOptions) {}

  async tick(): Promise<Entitlement> {
    const e = await this.opts.client.checkIn();
    const at = this.opts.now?.() ?? new Date();
    this.opts.onCheckIn?.(e, at);
    const key = entitlementKey(e);
    if (key !== this.last) {
      this.last = key;
      this.opts.onChange?.(e, at);
    }
    return e;
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const sleep = this.opts.sleep ?? abortableSleep;
    while (!signal.aborted) {
      const e = await this.tick();
      let waitMs = (this.opts.intervalS ?? e.next_check_in_s) * 1000;
      if (e.source === "cache" && e.valid_until) {
        const untilEnd = Date.parse(e.valid_until) - (this.opts.now?.() ?? new Date()).getTime();
        waitMs = Math.max(1000, Math.min(waitMs, untilEnd + 1000));
      }
      await sleep(waitMs, signal);
    }
  }
}
