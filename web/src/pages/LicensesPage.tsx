import { useEffect, useState } from "react";
import type { Client, Pool, PoolHolder } from "../../../src/contracts/types.js";
import { IconCart, IconPool } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { EmptyState, ErrorState, SkeletonCards } from "../components/States";
import { useToast } from "../components/Toasts";
import { pools as poolsApi } from "../endpoints";
import { formatNumber, fullness, titleCase } from "../format";
import { useAsync, useTitle } from "../hooks";
import { AllocateModal } from "../modals/AllocateModal";
import { PoolRequestModal } from "../modals/PoolRequestModal";
import { RevokeModal, type RevokeTarget } from "../modals/RevokeModal";
import { byLicenseType, loadPools, poolNames, replacePool } from "../pools";
import { Link, setQuery, useLocation } from "../router";
import { useAccess } from "../session";
import { type CardNotice, PoolCard } from "./licenses/PoolCard";

type Dialog =
  | { kind: "allocate"; pool: Pool }
  | { kind: "revoke"; pool: Pool; client: RevokeTarget }
  | { kind: "request"; pool: Pool }
  | null;

/** The main screen: one card per license pool, with allocation, revocation and the ways out of a full pool. */
export function LicensesPage() {
  useTitle("Licenses");
  const toast = useToast();
  const { query } = useLocation();
  const newPoolId = query.get("new");
  const focusPoolId = newPoolId ?? query.get("pool");
  const poolList = useAsync(loadPools, "pools");
  const pending = useAsync(() => poolsApi.requests("pending"), "pending");
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(query.get("pool") ? [query.get("pool") as string] : []));
  const [versions, setVersions] = useState<Record<string, number>>({});
  const [notices, setNotices] = useState<Record<string, CardNotice>>({});
  const [dialog, setDialog] = useState<Dialog>(null);
  const { canWrite } = useAccess();

  // A pool just bought, or linked from the purchase history: scroll its card into view once the pools are in.
  const poolsLoaded = poolList.data !== null;
  useEffect(() => {
    if (!focusPoolId || !poolsLoaded) return;
    document.querySelector(`[data-pool-id="${CSS.escape(focusPoolId)}"]`)?.scrollIntoView({ block: "start" });
  }, [focusPoolId, poolsLoaded]);

  const list = poolList.data ?? [];
  const names = poolNames(list);
  const labelOf = (pool: Pool) => names.get(pool.id)?.label ?? pool.name;
  const bump = (poolId: string) => setVersions((v) => ({ ...v, [poolId]: (v[poolId] ?? 0) + 1 }));
  const setNotice = (poolId: string, notice: CardNotice | null) =>
    setNotices((all) => {
      const next = { ...all };
      if (notice) next[poolId] = notice;
      else delete next[poolId];
      return next;
    });
  const toggle = (poolId: string) =>
    setExpanded((s) => {
      const next = new Set(s);
      if (next.has(poolId)) next.delete(poolId);
      else next.add(poolId);
      return next;
    });
  const showHolders = (poolId: string) => {
    setDialog(null);
    setExpanded((s) => new Set(s).add(poolId));
    window.requestAnimationFrame(() => {
      const card = document.querySelector(`[data-pool-id="${CSS.escape(poolId)}"]`);
      card?.querySelector(".pool-card__holders")?.scrollIntoView({ block: "nearest" });
      card?.querySelector<HTMLElement>(".pool-card__toggle")?.focus();
    });
  };
  // The pool as the server answered it (after an allocation, revoke...): its card shows the new counts at once.
  const updatePool = (pool: Pool) => poolList.setData((all) => replacePool(all, pool));

  const allocated = (client: Client, pool: Pool) => {
    setDialog(null);
    updatePool(pool);
    bump(pool.id);
    setNotice(pool.id, {
      tone: "success",
      text: (
        <>
          <strong>
            {titleCase(pool.license_type)} license allocated to {client.name}.
          </strong>{" "}
          The client's plugin will pick the license up on its next check-in (plugins check in about once an hour).
        </>
      ),
    });
  };

  const revoked = (poolId: string, client: RevokeTarget, pool: Pool) => {
    setDialog(null);
    updatePool(pool);
    bump(poolId);
    setNotice(poolId, {
      tone: "info",
      text: (
        <>
          <strong>License revoked from {client.name}.</strong> The slot is free again. At its next check-in the plugin falls back
          to the free tier.
        </>
      ),
    });
    // The row that opened the dialog is about to disappear: keep focus on its card.
    window.requestAnimationFrame(() =>
      document.querySelector<HTMLElement>(`[data-pool-id="${CSS.escape(poolId)}"] .pool-card__toggle`)?.focus(),
    );
  };

  // Slots of different license types are not interchangeable: count them per type, never added together.
  const perType = byLicenseType([...list].sort((a, b) => a.license_type.localeCompare(b.license_type))).map(([type, pools]) => ({
    type: titleCase(type),
    total: pools.reduce((n, p) => n + p.total, 0),
    used: pools.reduce((n, p) => n + p.used, 0),
  }));
  const fullCount = list.filter((p) => fullness(p) === "full").length;

  return (
    <>
      <PageHeader
        title="Licenses"
        subtitle="Your license pools and the clients holding their slots."
        actions={
          canWrite ? (
            <Link to="/plans" className="button button--secondary">
              <IconCart />
              Buy capacity
            </Link>
          ) : undefined
        }
      />

      {list.length > 0 ? (
        <section className="stats" aria-label="Totals across all pools">
          <div className="stat">
            <p className="stat__label">Pools</p>
            <p className="stat__value">{formatNumber(list.length)}</p>
          </div>
          <div className="stat">
            <p className="stat__label">Slots in use</p>
            <ul className={`stat__types${perType.length === 1 ? " stat__types--single" : ""}`}>
              {perType.map((t) => (
                <li key={t.type}>
                  <span className="stat__type">{t.type}</span>
                  <span className="stat__num">
                    {formatNumber(t.used)} <span className="stat__of">/ {formatNumber(t.total)}</span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
          <div className="stat">
            <p className="stat__label">Unallocated</p>
            <ul className={`stat__types${perType.length === 1 ? " stat__types--single" : ""}`}>
              {perType.map((t) => (
                <li key={t.type}>
                  <span className="stat__type">{t.type}</span>
                  <span className="stat__num">{formatNumber(t.total - t.used)}</span>
                </li>
              ))}
            </ul>
          </div>
          <div className="stat">
            <p className="stat__label">Full pools</p>
            <p className={`stat__value${fullCount ? " stat__value--danger" : ""}`}>{formatNumber(fullCount)}</p>
          </div>
        </section>
      ) : null}

      {poolList.error && !poolList.data ? (
        <ErrorState error={poolList.error} onRetry={poolList.reload} title="Your pools didn't load" />
      ) : !poolList.data ? (
        <SkeletonCards count={3} label="Loading your pools…" />
      ) : list.length === 0 ? (
        <EmptyState
          icon={<IconPool />}
          title="No license pools yet"
          action={
            <Link to="/plans" className="button button--primary">
              Browse plans
            </Link>
          }
        >
          <p>Each plan you buy arrives here as a pool of license slots you can hand out to your clients' sites.</p>
        </EmptyState>
      ) : (
        <div className="pool-grid">
          {list.map((pool) => (
            <PoolCard
              key={pool.id}
              pool={pool}
              names={names.get(pool.id) ?? { label: pool.name, badge: pool.name }}
              expanded={expanded.has(pool.id)}
              isNew={pool.id === newPoolId}
              pendingRequest={pending.data?.pool_requests.find((r) => r.pool_id === pool.id)}
              notice={notices[pool.id]}
              holdersVersion={versions[pool.id] ?? 0}
              onToggle={() => toggle(pool.id)}
              onShowHolders={() => showHolders(pool.id)}
              onAllocate={() => setDialog({ kind: "allocate", pool })}
              onRevoke={(h: PoolHolder) =>
                setDialog({
                  kind: "revoke",
                  pool,
                  client: { id: h.id, name: h.name, site_url: h.site_url, status: h.status, license_type: pool.license_type },
                })
              }
              onRequestChange={() => setDialog({ kind: "request", pool })}
              onDismissNotice={() => {
                setNotice(pool.id, null);
                if (pool.id === newPoolId) setQuery({ new: null });
              }}
            />
          ))}
        </div>
      )}

      {dialog?.kind === "allocate" ? (
        <AllocateModal
          pool={dialog.pool}
          label={labelOf(dialog.pool)}
          onClose={() => setDialog(null)}
          onAllocated={allocated}
          onShowHolders={() => showHolders(dialog.pool.id)}
          onRequestChange={() => setDialog({ kind: "request", pool: dialog.pool })}
        />
      ) : null}
      {dialog?.kind === "revoke" ? (
        <RevokeModal
          client={dialog.client}
          onClose={() => setDialog(null)}
          onRevoked={({ pool }) => revoked(dialog.pool.id, dialog.client, pool)}
          onSuspended={(client) => {
            setDialog(null);
            bump(dialog.pool.id);
            toast({
              tone: "success",
              title: `${client.name} suspended`,
              body: "It keeps its slot. Resume it from the client's page.",
            });
          }}
        />
      ) : null}
      {dialog?.kind === "request" ? (
        <PoolRequestModal
          pool={dialog.pool}
          label={labelOf(dialog.pool)}
          onClose={() => setDialog(null)}
          onFiled={() => {
            setDialog(null);
            pending.reload();
            toast({
              tone: "success",
              title: "Request sent to support",
              body: "You'll see the new size here once it's approved.",
            });
          }}
        />
      ) : null}
    </>
  );
}
