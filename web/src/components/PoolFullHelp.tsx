import { Link } from "../router";

interface PoolFullHelpProps {
  /** Shows the clients holding the pool's slots, so one can be revoked. */
  onShowHolders?: (() => void) | undefined;
  onRequestChange?: (() => void) | undefined;
  /** A size-change request for this pool is already waiting for support. */
  requestPending?: boolean;
  compact?: boolean;
}

/** The three ways out of a full pool (the same three the API lists in `pool_full.details.ways_out`). */
export function PoolFullHelp({ onShowHolders, onRequestChange, requestPending = false, compact = false }: PoolFullHelpProps) {
  return (
    <div className={`ways-out${compact ? " ways-out--compact" : ""}`}>
      <p className="ways-out__title">Three ways to free up room:</p>
      <ol className="ways-out__list">
        <li className="ways-out__item">
          <div>
            <p className="ways-out__name">Revoke a churned client's license</p>
            <p className="ways-out__desc">The slot returns to this pool at once.</p>
          </div>
          {onShowHolders ? (
            <button type="button" className="button button--secondary button--small" onClick={onShowHolders}>
              Show clients
            </button>
          ) : (
            <Link to="/licenses" className="button button--secondary button--small">
              Open Licenses
            </Link>
          )}
        </li>
        <li className="ways-out__item">
          <div>
            <p className="ways-out__name">Buy more capacity</p>
            <p className="ways-out__desc">A plan or top-up arrives as a new pool straight away.</p>
          </div>
          <Link to="/plans" className="button button--secondary button--small">
            See plans
          </Link>
        </li>
        <li className="ways-out__item">
          <div>
            <p className="ways-out__name">Ask support to resize this pool</p>
            <p className="ways-out__desc">Support reviews the request and changes the size in place.</p>
          </div>
          {requestPending ? (
            <span className="badge badge--info">Request pending</span>
          ) : onRequestChange ? (
            <button type="button" className="button button--secondary button--small" onClick={onRequestChange}>
              Request size change
            </button>
          ) : (
            <Link to="/licenses" className="button button--secondary button--small">
              Open Licenses
            </Link>
          )}
        </li>
      </ol>
    </div>
  );
}
