import type { Pool, PoolHolder } from "../../../../src/contracts/types.js";
import { CheckInCell } from "../../components/CheckIn";
import { EmptyState, ErrorState, Spinner } from "../../components/States";
import { ClientNameLink, LoadMore, TableHead } from "../../components/Table";
import { pools } from "../../endpoints";
import { formatDate, formatNumber, shortSite } from "../../format";
import { usePaged } from "../../hooks";
import { useAccess } from "../../session";

interface PoolHoldersProps {
  pool: Pool;
  label: string;
  /** Bumped by the page after an allocation or revoke, to load the list again. */
  version: number;
  onRevoke: (holder: PoolHolder) => void;
}

const PAGE = 25;

/** The clients holding a pool's slots, newest allocation first, a page at a time (pools can hold thousands). */
export function PoolHolders({ pool, label, version, onRevoke }: PoolHoldersProps) {
  const { canWrite } = useAccess();
  const holders = usePaged(
    (cursor) => pools.holders(pool.id, cursor, PAGE).then((r) => ({ items: r.clients, next_cursor: r.next_cursor })),
    `${pool.id}:${version}`,
  );

  if (holders.error && !holders.loaded)
    return <ErrorState error={holders.error} onRetry={holders.reload} title="Clients didn't load" />;
  if (!holders.loaded) {
    return (
      <div className="holders__status">
        <Spinner label="Loading clients…" />
      </div>
    );
  }
  if (holders.items.length === 0) {
    return (
      <EmptyState title="No clients hold a slot in this pool right now">
        <p>Allocate a license from this pool and the client shows up here.</p>
      </EmptyState>
    );
  }
  return (
    <div className="holders">
      <table className="table table--stack">
        <caption className="visually-hidden">Clients holding {label} slots</caption>
        <TableHead {...(canWrite ? { hiddenLast: "Actions" } : {})} columns={["Client", "Site", "Allocated", "Last check-in"]} />
        <tbody>
          {holders.items.map((h) => (
            <tr key={h.id}>
              <td data-label="Client">
                <ClientNameLink client={h} />
                {h.status === "suspended" ? <span className="badge badge--neutral badge--inline">Suspended</span> : null}
              </td>
              <td data-label="Site" className="table__site">
                {shortSite(h.site_url)}
              </td>
              <td data-label="Allocated">
                <time dateTime={h.allocated_at}>{formatDate(h.allocated_at)}</time>
              </td>
              <td data-label="Last check-in">
                <CheckInCell at={h.last_check_in_at} />
              </td>
              {canWrite ? (
                <td className="table__actions">
                  <button
                    type="button"
                    className="button button--danger-ghost button--small"
                    onClick={() => onRevoke(h)}
                    aria-label={`Revoke license of ${h.name}`}
                  >
                    Revoke
                  </button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="holders__footer">
        <p className="holders__count">
          Showing {formatNumber(holders.items.length)} of {formatNumber(pool.used)}
        </p>
        <LoadMore list={holders} />
      </div>
    </div>
  );
}
