import type { Pool } from "../../../src/contracts/types.js";
import { FULLNESS_WORDS, formatNumber, fullness, titleCase } from "../format";
import { IconAlert, IconCheck } from "./Icons";

/** The used/total bar. Colour shows fullness, and so do the words next to it: colour is never the only signal. */
export function PoolBar({ pool, label }: { pool: Pick<Pool, "used" | "total" | "license_type">; label?: string }) {
  const state = fullness(pool);
  const pct = pool.total > 0 ? Math.min(100, Math.round((pool.used / pool.total) * 100)) : 100;
  const name = label ?? `${titleCase(pool.license_type)} pool`;
  return (
    <div
      className={`poolbar poolbar--${state}`}
      role="progressbar"
      aria-label={`${name}: slots used`}
      aria-valuemin={0}
      aria-valuemax={pool.total}
      aria-valuenow={pool.used}
      aria-valuetext={`${formatNumber(pool.used)} of ${formatNumber(pool.total)} slots used (${pct}%). ${FULLNESS_WORDS[state]}.`}
    >
      <span className="poolbar__fill" style={{ width: `${pct}%` }} />
    </div>
  );
}

export function FullnessBadge({ pool }: { pool: Pick<Pool, "used" | "total"> }) {
  const state = fullness(pool);
  return (
    <span className={`badge badge--${state === "full" ? "danger" : state === "nearly_full" ? "warning" : "success"}`}>
      {state === "comfortable" ? <IconCheck /> : <IconAlert />}
      {FULLNESS_WORDS[state]}
    </span>
  );
}
