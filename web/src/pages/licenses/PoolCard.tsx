import { type ReactNode, useId } from "react";
import type { Pool, PoolHolder, PoolRequest } from "../../../../src/contracts/types.js";
import { IconChevron, IconClose, IconPlus } from "../../components/Icons";
import { FullnessBadge, PoolBar } from "../../components/PoolBar";
import { PoolFullHelp } from "../../components/PoolFullHelp";
import { formatNumber, fullness, plural, titleCase } from "../../format";
import { type PoolNames, poolOrigin } from "../../pools";
import { useAccess } from "../../session";
import { PoolHolders } from "./PoolHolders";

export interface CardNotice {
  tone: "success" | "info";
  text: ReactNode;
}

interface PoolCardProps {
  pool: Pool;
  /** How this pool is told apart from the reseller's other pools. */
  names: PoolNames;
  expanded: boolean;
  isNew: boolean;
  pendingRequest: PoolRequest | undefined;
  notice: CardNotice | undefined;
  holdersVersion: number;
  onToggle: () => void;
  /** Expands the card (if needed) and brings the holders list into view. */
  onShowHolders: () => void;
  onAllocate: () => void;
  onRevoke: (holder: PoolHolder) => void;
  onRequestChange: () => void;
  onDismissNotice: () => void;
}

/** One license pool: fullness bar and counts; click to see who holds its slots; allocate; ways out when full. */
export function PoolCard(props: PoolCardProps) {
  const { pool, names, expanded, isNew, pendingRequest, notice, holdersVersion } = props;
  const id = useId();
  const state = fullness(pool);
  const full = state === "full";
  const type = titleCase(pool.license_type);
  const pct = pool.total > 0 ? Math.round((pool.used / pool.total) * 100) : 100;
  const label = names.label;
  const { canWrite } = useAccess();

  return (
    <article
      className={`pool-card pool-card--${state}${expanded || full ? " pool-card--wide" : ""}${isNew ? " is-new" : ""}`}
      aria-label={`${label} pool`}
      data-pool-id={pool.id}
    >
      <div className="pool-card__summary">
        <div className="pool-card__head">
          <div className="pool-card__titles">
            <h2 className="pool-card__title">
              {type}
              {names.badge !== type ? <span className="pool-card__plan">{names.badge}</span> : null}
              {isNew ? <span className="badge badge--accent">New</span> : null}
            </h2>
            <p className="pool-card__origin">{poolOrigin(pool)}</p>
          </div>
          <FullnessBadge pool={pool} />
        </div>
        <PoolBar pool={pool} label={`${label} pool`} />
        <div className="pool-card__row">
          <dl className="pool-card__stats">
            <div>
              <dt>Used</dt>
              <dd>
                <strong>
                  {formatNumber(pool.used)} / {formatNumber(pool.total)}
                </strong>
                <span className="pool-card__pct">{pct}%</span>
              </dd>
            </div>
            <div>
              <dt>Unallocated</dt>
              <dd>
                <strong>{formatNumber(pool.unallocated)}</strong>
              </dd>
            </div>
          </dl>
          <button
            type="button"
            className="pool-card__toggle"
            aria-expanded={expanded}
            aria-controls={`${id}-holders`}
            onClick={props.onToggle}
          >
            <span>{expanded ? "Hide clients" : `Show clients (${formatNumber(pool.used)})`}</span>
            <IconChevron />
          </button>
        </div>
      </div>

      {pendingRequest ? (
        <p className="pool-card__pending">
          <span className="badge badge--info">Pending</span>
          You asked support to change this pool to {plural(pendingRequest.requested_total, "slot")}.
        </p>
      ) : null}

      {notice ? (
        <div className={`card-notice card-notice--${notice.tone}`} role="status">
          <div className="card-notice__text">{notice.text}</div>
          <button
            type="button"
            className="icon-button icon-button--small"
            aria-label="Dismiss message"
            onClick={props.onDismissNotice}
          >
            <IconClose />
          </button>
        </div>
      ) : null}

      {full ? (
        <div className="pool-card__full">
          <p className="pool-card__full-title">
            This pool is full: all {plural(pool.total, "slot")} are allocated. No license can be allocated from it until room is
            freed.
          </p>
          {canWrite ? (
            <PoolFullHelp
              onShowHolders={props.onShowHolders}
              onRequestChange={props.onRequestChange}
              requestPending={Boolean(pendingRequest)}
            />
          ) : null}
        </div>
      ) : null}

      {canWrite ? (
        <div className="pool-card__actions">
          <button
            type="button"
            className="button button--primary"
            onClick={props.onAllocate}
            disabled={full}
            aria-describedby={full ? `${id}-why` : undefined}
          >
            <IconPlus />
            Allocate License
          </button>
          {full ? (
            <span id={`${id}-why`} className="disabled-reason">
              Can't allocate: the pool is full.
            </span>
          ) : (
            <button
              type="button"
              className="button button--ghost"
              onClick={props.onRequestChange}
              disabled={Boolean(pendingRequest)}
            >
              {pendingRequest ? "Size change requested" : "Request size change"}
            </button>
          )}
        </div>
      ) : null}

      {expanded ? (
        <section id={`${id}-holders`} className="pool-card__holders" aria-label={`Clients holding ${label} slots`}>
          <PoolHolders pool={pool} label={label} version={holdersVersion} onRevoke={props.onRevoke} />
        </section>
      ) : null}
    </article>
  );
}
