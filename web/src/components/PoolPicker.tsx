import type { Pool } from "../../../src/contracts/types.js";
import { formatNumber, fullness, titleCase } from "../format";
import { byLicenseType, poolAcquired, poolNames } from "../pools";

interface PoolPickerProps {
  legend: string;
  pools: Pool[];
  value: string | null;
  onChange: (poolId: string | null) => void;
  /** Offer "No license for now" (value null). */
  allowNone?: boolean;
  /** The client's current pool: shown, marked, and not pickable. */
  currentPoolId?: string | undefined;
  /** Show the pools under a heading per license type. */
  groupByType?: boolean;
  error?: string | undefined;
}

/**
 * Radio cards, one per pool, each with a name that tells it apart from the reseller's other pools, its free slots and
 * when it was bought; full pools are shown but cannot be picked.
 */
export function PoolPicker(props: PoolPickerProps) {
  const { legend, pools, value, onChange, allowNone = false, currentPoolId, groupByType = false, error } = props;
  const names = poolNames(pools);
  const option = (pool: Pool) => {
    const full = fullness(pool) === "full";
    const current = pool.id === currentPoolId;
    const disabled = full || current;
    const free = full ? "Full" : `${formatNumber(pool.unallocated)} of ${formatNumber(pool.total)} free`;
    return (
      <label
        key={pool.id}
        className={`pool-option${value === pool.id ? " is-selected" : ""}${disabled ? " is-disabled" : ""}${current ? " is-current" : ""}`}
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
          <span className="pool-option__name">
            {names.get(pool.id)?.label ?? pool.name}
            {current ? <span className="badge badge--info pool-option__current">Current pool</span> : null}
          </span>
          <span className={`pool-option__note${full && !current ? " pool-option__note--full" : ""}`}>{free}</span>
          <span className="pool-option__date">{poolAcquired(pool)}</span>
        </span>
      </label>
    );
  };
  const none = allowNone ? (
    <label className={`pool-option${value === null ? " is-selected" : ""}`}>
      <input type="radio" name={legend} value="" checked={value === null} onChange={() => onChange(null)} />
      <span className="pool-option__text">
        <span className="pool-option__name">No license for now</span>
        <span className="pool-option__note">Runs on the free tier until you allocate one</span>
      </span>
    </label>
  ) : null;

  return (
    <fieldset className={`pool-picker${error ? " field--invalid" : ""}`}>
      <legend className="field__label">{legend}</legend>
      {groupByType ? (
        // The current pool's license type first, and the current pool first within it.
        byLicenseType(
          [...pools].sort((a, b) => {
            const cur = pools.find((p) => p.id === currentPoolId);
            const rank = (p: Pool) => (p.id === currentPoolId ? 0 : cur && p.license_type === cur.license_type ? 1 : 2);
            return rank(a) - rank(b);
          }),
        ).map(([type, group]) => (
          <fieldset key={type} className="pool-picker__group">
            <legend className="pool-picker__type">{titleCase(type)}</legend>
            <div className="pool-picker__grid">{group.map(option)}</div>
          </fieldset>
        ))
      ) : (
        <div className="pool-picker__grid">
          {pools.map(option)}
          {none}
        </div>
      )}
      {groupByType && none ? <div className="pool-picker__grid">{none}</div> : null}
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
