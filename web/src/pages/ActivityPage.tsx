import { useEffect, useState } from "react";
import type { ActivityEntry } from "../../../src/contracts/types.js";
import { ApiError } from "../api";
import { ClientCombobox } from "../components/ClientCombobox";
import { IconActivity, IconClose } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { activity, clients } from "../endpoints";
import { ACTION_WORDS, actionWords, actorWords, formatDateTime, formatRelative, plural } from "../format";
import { useAsync, usePaged, useTitle } from "../hooks";
import { loadNamedPools } from "../pools";
import { Link, setQuery, useLocation } from "../router";
import { type ClientNames, describeEntry, knownClientNames } from "./activity/describe";

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
  const poolList = useAsync(loadNamedPools, "pools");
  const { names, deleted } = useClientNames(log.items, clientId);
  const filtered = Boolean(clientId || action);

  return (
    <>
      <PageHeader title="Activity" subtitle="Every change to your licenses, clients and pools: who did it, and when." />

      <div className="toolbar">
        {clientId ? (
          <span className="chip">
            <span className="chip__label">Client:</span> {names[clientId] ?? (deleted.has(clientId) ? "Offboarded client" : "…")}
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
              const d = describeEntry(entry, { names, deleted }, poolList.data ?? []);
              const clientName = entry.client_id ? names[entry.client_id] : undefined;
              return (
                <li key={entry.id} className="log__item">
                  <span className={`log__dot log__dot--${d.tone}`} aria-hidden="true" />
                  <div className="log__main">
                    <p className="log__action">{actionWords(entry.action)}</p>
                    <p className="log__detail">
                      {entry.client_id && clientName && !deleted.has(entry.client_id) ? (
                        <Link to={`/clients/${encodeURIComponent(entry.client_id)}`} className="text-link">
                          {clientName}
                        </Link>
                      ) : d.subject ? (
                        <span className="log__subject">{d.subject}</span>
                      ) : null}
                      {d.detail ? <span className="log__extra">{d.detail}</span> : null}
                    </p>
                  </div>
                  <div className="log__meta">
                    <span className="log__actor">{actorWords(entry.actor)}</span>
                    <time dateTime={entry.created_at} title={formatDateTime(entry.created_at)} className="log__time">
                      {formatRelative(entry.created_at)}
                    </time>
                  </div>
                </li>
              );
            })}
          </ol>
          <div className="table-footer">
            <p className="muted">{plural(log.items.length, "entry", "entries")} shown</p>
            {log.error ? <p className="field__error">Couldn't load more. Try again.</p> : null}
            {log.nextCursor ? (
              <button
                type="button"
                className="button button--secondary button--small"
                onClick={log.loadMore}
                disabled={log.loadingMore}
              >
                {log.loadingMore ? "Loading…" : "Load older entries"}
              </button>
            ) : null}
          </div>
        </div>
      )}
    </>
  );
}

/** Client names for the ids on screen: from the entries themselves where they carry one, otherwise looked up once. */
function useClientNames(entries: ActivityEntry[], filterClientId: string): ClientNames {
  const [fetched, setFetched] = useState<Record<string, string | null>>({});
  // Offboarded clients can't be looked up any more; their names are in their "client.deleted" entries.
  const offboarded = useAsync(
    () => activity.list({ action: "client.deleted", limit: 200 }).then((r) => r.activity),
    "offboarded",
  );
  const known = knownClientNames([...entries, ...(offboarded.data ?? [])]);
  const wanted = [...new Set([...entries.map((e) => e.client_id), filterClientId || null])].filter(
    (id): id is string =>
      typeof id === "string" && id !== "" && !(id in fetched) && !(id in known.names) && !known.deleted.has(id),
  );
  // Wait for the offboarded list, so no lookup is made for a client that no longer exists.
  const key = offboarded.loading ? "" : wanted.sort().join(",");
  useEffect(() => {
    if (!key) return;
    let live = true;
    Promise.all(
      key.split(",").map((id) =>
        clients.get(id).then(
          (r) => [id, r.client.name] as const,
          // null: offboarded. Other failures stay unknown and show as "a client".
          (err: unknown) => [id, err instanceof ApiError && err.code === "not_found" ? null : undefined] as const,
        ),
      ),
    ).then((pairs) => {
      if (!live) return;
      const settled = pairs.filter((pair): pair is readonly [string, string | null] => pair[1] !== undefined);
      setFetched((f) => ({ ...f, ...Object.fromEntries(settled) }));
    });
    return () => {
      live = false;
    };
  }, [key]);
  const names: Record<string, string> = { ...known.names };
  const deleted = new Set(known.deleted);
  for (const [id, name] of Object.entries(fetched)) {
    if (name === null) deleted.add(id);
    else names[id] = name;
  }
  return { names, deleted };
}
