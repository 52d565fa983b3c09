import { ClientCombobox } from "../components/ClientCombobox";
import { IconActivity, IconClose } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { LoadMore } from "../components/Table";
import { activity } from "../endpoints";
import { ACTION_WORDS, actionWords, actorWords, formatDateTime, formatRelative, plural } from "../format";
import { useAsync, usePaged, useTitle } from "../hooks";
import { loadPools } from "../pools";
import { Link, setQuery, useLocation } from "../router";
import { describeEntry, offboardedClients } from "./activity/describe";

const PAGE = 30;

/** The audit log, newest first: filter by client and action, a page at a time. */
export function ActivityPage() {
  useTitle("Activity");
  const { query } = useLocation();
  const clientId = query.get("client_id") ?? "";
  const action = query.get("action") ?? "";
  const log = usePaged(
    (cursor) =>
      activity
        .list({
          limit: PAGE,
          ...(clientId ? { client_id: clientId } : {}),
          ...(action ? { action } : {}),
          ...(cursor ? { cursor } : {}),
        })
        .then((r) => ({ items: r.activity, next_cursor: r.next_cursor })),
    `${clientId}|${action}`,
  );
  const poolList = useAsync(loadPools, "pools");
  const offboarded = offboardedClients(log.items);
  // The filtered client's name: its newest entry on screen carries it.
  const filterName = clientId ? log.items.find((e) => e.client_id === clientId && e.client_name)?.client_name : undefined;
  const filtered = Boolean(clientId || action);

  return (
    <>
      <PageHeader title="Activity" subtitle="Every change to your licenses, clients and pools: who did it, and when." />

      <div className="toolbar">
        {clientId ? (
          <span className="chip">
            <span className="chip__label">Client:</span> {filterName ?? (log.loaded ? "Selected client" : "…")}
            {offboarded.has(clientId) ? " (offboarded)" : null}
            <button
              type="button"
              className="chip__remove"
              aria-label="Show all clients"
              onClick={() => setQuery({ client_id: null })}
            >
              <IconClose />
            </button>
          </span>
        ) : (
          <ClientCombobox
            label="Filter by client"
            placeholder="Filter by client…"
            onPick={(c) => setQuery({ client_id: c.id })}
          />
        )}
        <label className="select-wrap">
          <span className="visually-hidden">Filter by action</span>
          <select className="input select" value={action} onChange={(e) => setQuery({ action: e.target.value || null })}>
            <option value="">All actions</option>
            {Object.entries(ACTION_WORDS).map(([code, words]) => (
              <option key={code} value={code}>
                {words}
              </option>
            ))}
          </select>
        </label>
      </div>

      {log.error && !log.loaded ? (
        <ErrorState error={log.error} onRetry={log.reload} title="The activity log didn't load" />
      ) : !log.loaded ? (
        <Loading label="Loading activity…" />
      ) : log.items.length === 0 ? (
        <EmptyState
          icon={<IconActivity />}
          title={filtered ? "Nothing matches these filters" : "No activity yet"}
          action={
            filtered ? (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setQuery({ client_id: null, action: null })}
              >
                Clear filters
              </button>
            ) : undefined
          }
        >
          <p>{filtered ? "Try another client or action." : "Purchases, allocations and client changes are recorded here."}</p>
        </EmptyState>
      ) : (
        <div className="card card--flush">
          <ol className="log" aria-busy={log.loading} aria-label="Activity entries">
            {log.items.map((entry) => {
              const d = describeEntry(entry, offboarded, poolList.data ?? []);
              return (
                <li key={entry.id} className="log__item">
                  <span className={`log__dot log__dot--${d.tone}`} aria-hidden="true" />
                  <div className="log__main">
                    <p className="log__action">{actionWords(entry.action)}</p>
                    <p className="log__detail">
                      {entry.client_id && entry.client_name && !offboarded.has(entry.client_id) ? (
                        <Link to={`/clients/${encodeURIComponent(entry.client_id)}`} className="text-link">
                          {entry.client_name}
                        </Link>
                      ) : d.subject ? (
                        <span className="log__subject">{d.subject}</span>
                      ) : null}
                      {d.detail ? <span className="log__extra">{d.detail}</span> : null}
                    </p>
                  </div>
                  <div className="log__meta">
                    <span className="log__actor">{actorWords(entry.actor)}</span>
                    <span className="log__when">
                      <time dateTime={entry.created_at} className="log__time">
                        {formatDateTime(entry.created_at)}
                      </time>
                      <span className="log__ago"> · {formatRelative(entry.created_at)}</span>
                    </span>
                  </div>
                </li>
              );
            })}
          </ol>
          <div className="table-footer">
            <p className="muted">{plural(log.items.length, "entry", "entries")} shown</p>
            <LoadMore list={log} label="Load older entries" />
          </div>
        </div>
      )}
    </>
  );
}
