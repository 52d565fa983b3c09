import type { Pool } from "../../../src/contracts/types.js";
import { formatNumber, fullness } from "../format";
import { poolLabel } from "../pools";

interface PoolPickerProps {
  legend: string;
  pools: Pool[];
  value: string | null;
  onChange: (poolId: string | null) => void;
  /** Offer "No license for now" (value null). */
  allowNone?: boolean;
  /** A pool that cannot be picked, with the reason (e.g. the client's current pool). */
  currentPoolId?: string | undefined;
  error?: string | undefined;
}

/** Radio cards, one per pool, each with its free slots; full pools are shown but cannot be picked. */
export function PoolPicker({ legend, pools, value, onChange, allowNone = false, currentPoolId, error }: PoolPickerProps) {
  return (
    <fieldset className={`pool-picker${error ? " field--invalid" : ""}`}>
      <legend className="field__label">{legend}</legend>
      <div className="pool-picker__grid">
        {pools.map((pool) => {
          const full = fullness(pool) === "full";
          const current = pool.id === currentPoolId;
          const disabled = full || current;
          const note = current
            ? "Current pool"
            : full
              ? "Full"
              : `${formatNumber(pool.unallocated)} of ${formatNumber(pool.total)} free`;
          return (
            <label
              key={pool.id}
              className={`pool-option${value === pool.id ? " is-selected" : ""}${disabled ? " is-disabled" : ""}`}
            >
              <input
                type="radio"
                name={legend}
                value={pool.id}
                checked={value === pool.id}
                disabled={disabled}
                onChange={() => onChange(pool.id)}
              />
              <span className="pool-option__text">
                <span className="pool-option__name">{poolLabel(pool)}</span>
                <span className={`pool-option__note${full && !current ? " pool-option__note--full" : ""}`}>{note}</span>
              </span>
            </label>
          );
        })}
        {allowNone ? (
          <label className={`pool-option${value === null ? " is-selected" : ""}`}>
            <input type="radio" name={legend} value="" checked={value === null} onChange={() => onChange(null)} />
            <span className="pool-option__text">
              <span className="pool-option__name">No license for now</span>
              <span className="pool-option__note">Runs on the free tier until you allocate one</span>
            </span>
          </label>
        ) : null}
      </div>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
