import { useState } from "react";
import type { Client } from "../../../src/contracts/types.js";
import { CheckInCell } from "../components/CheckIn";
import { IconPlus, IconSearch, IconUsers } from "../components/Icons";
import { PageHeader } from "../components/Layout";
import { RowMenu, type RowMenuItem } from "../components/RowMenu";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { ClientNameLink, LoadMore, TableHead } from "../components/Table";
import { useToast } from "../components/Toasts";
import { type ClientFilter, clients } from "../endpoints";
import { formatNumber, shortSite, titleCase } from "../format";
import { useAsync, useDebounced, usePaged, useTitle } from "../hooks";
import { AddClientModal } from "../modals/AddClientModal";
import { ClientAllocateModal } from "../modals/ClientAllocateModal";
import { ReissueModal } from "../modals/ReissueModal";
import { RevokeModal } from "../modals/RevokeModal";
import { loadPools, poolNames, replacePool } from "../pools";
import { Link, setQuery, useLocation } from "../router";
import { useAccess } from "../session";
import { SuspendDialog } from "./clients/ClientConfirmations";
import { useResumeClient } from "./clients/useResumeClient";

type Dialog = { kind: "suspend" | "revoke" | "allocate" | "reissue"; client: Client } | null;

const PAGE = 25;

/** Every client site: search, filter by status and license, and add new ones. */
export function ClientsPage() {
  useTitle("Clients");
  const { query } = useLocation();
  const [search, setSearch] = useState(query.get("q") ?? "");
  const q = useDebounced(search.trim());
  const status = (query.get("status") ?? "") as ClientFilter["status"];
  const licensed = (query.get("licensed") ?? "") as ClientFilter["licensed"];
  const { canWrite } = useAccess();
  const adding = query.get("add") === "1" && canWrite;
  const poolList = useAsync(loadPools, "pools");
  const filter: ClientFilter = { q, status, licensed, limit: PAGE };
  const list = usePaged(
    (cursor) =>
      clients.list({ ...filter, ...(cursor ? { cursor } : {}) }).then((r) => ({ items: r.clients, next_cursor: r.next_cursor })),
    JSON.stringify(filter),
  );
  const names = poolNames(poolList.data ?? []);
  const nameOf = (poolId: string) => names.get(poolId)?.label;
  const toast = useToast();
  const [dialog, setDialog] = useState<Dialog>(null);
  const replace = (next: Client) => list.update((items) => items.map((c) => (c.id === next.id ? next : c)));

  const { resume, resumingId: resuming } = useResumeClient(replace);

  const actions = (c: Client): RowMenuItem[] => [
    c.status === "active"
      ? { label: "Suspend client", onSelect: () => setDialog({ kind: "suspend", client: c }) }
      : { label: resuming === c.id ? "Resuming…" : "Resume client", onSelect: () => void resume(c) },
    ...(c.license
      ? [
          { label: "Change license or pool", onSelect: () => setDialog({ kind: "reissue", client: c }) },
          { label: "Revoke license", tone: "danger" as const, onSelect: () => setDialog({ kind: "revoke", client: c }) },
        ]
      : [{ label: "Allocate license", onSelect: () => setDialog({ kind: "allocate", client: c }) }]),
  ];
  const filtered = Boolean(q || status || licensed);

  return (
    <>
      <PageHeader
        title="Clients"
        subtitle="The customer sites running the plugin, and the license each one holds."
        actions={
          canWrite ? (
            <button type="button" className="button button--primary" onClick={() => setQuery({ add: "1" })}>
              <IconPlus />
              Add client
            </button>
          ) : undefined
        }
      />

      <search className="toolbar">
        <div className="search">
          <IconSearch />
          <label htmlFor="clients-search" className="visually-hidden">
            Search clients
          </label>
          <input
            id="clients-search"
            className="input search__input"
            type="search"
            placeholder="Search by name or site"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setQuery({ q: e.target.value.trim() || null });
            }}
          />
        </div>
        <label className="select-wrap">
          <span className="visually-hidden">Status</span>
          <select className="input select" value={status} onChange={(e) => setQuery({ status: e.target.value || null })}>
            <option value="">All statuses</option>
            <option value="active">Active</option>
            <option value="suspended">Suspended</option>
          </select>
        </label>
        <label className="select-wrap">
          <span className="visually-hidden">License</span>
          <select className="input select" value={licensed} onChange={(e) => setQuery({ licensed: e.target.value || null })}>
            <option value="">Any license</option>
            <option value="true">Licensed</option>
            <option value="false">No license</option>
          </select>
        </label>
      </search>

      {list.error && !list.loaded ? (
        <ErrorState error={list.error} onRetry={list.reload} title="Your clients didn't load" />
      ) : !list.loaded ? (
        <Loading label="Loading clients…" />
      ) : list.items.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={<IconSearch />}
            title="No clients match"
            action={
              <button
                type="button"
                className="button button--secondary"
                onClick={() => {
                  setSearch("");
                  setQuery({ q: null, status: null, licensed: null });
                }}
              >
                Clear filters
              </button>
            }
          >
            <p>Try another name or site, or clear the filters.</p>
          </EmptyState>
        ) : (
          <EmptyState
            icon={<IconUsers />}
            title="No clients yet"
            action={
              canWrite ? (
                <button type="button" className="button button--primary" onClick={() => setQuery({ add: "1" })}>
                  Add your first client
                </button>
              ) : undefined
            }
          >
            <p>
              {canWrite
                ? "Add each customer site that runs the plugin, then give it a license from one of your pools."
                : "Clients appear here once someone on your team adds them."}
            </p>
          </EmptyState>
        )
      ) : (
        <div className="card card--flush">
          <table className="table table--stack" aria-busy={list.loading}>
            <caption className="visually-hidden">Clients</caption>
            <TableHead hiddenLast="Actions" columns={["Client", "Status", "License", "Last check-in"]} />
            <tbody>
              {list.items.map((c) => (
                <tr key={c.id}>
                  <td data-label="Client">
                    <ClientNameLink client={c} />
                    <span className="table__secondary">{shortSite(c.site_url)}</span>
                  </td>
                  <td data-label="Status">
                    <span className={`badge ${c.status === "active" ? "badge--success" : "badge--warning"}`}>
                      {c.status === "active" ? "Active" : "Suspended"}
                    </span>
                  </td>
                  <td data-label="License">
                    {c.license ? (
                      <span className="license-cell">
                        <span className="badge badge--type">{titleCase(c.license.license_type)}</span>
                        <span className="table__secondary">{nameOf(c.license.pool_id) ?? "Pool"}</span>
                      </span>
                    ) : (
                      <span className="muted">No license</span>
                    )}
                  </td>
                  <td data-label="Last check-in">
                    <CheckInCell at={c.last_check_in_at} />
                  </td>
                  <td className="table__actions">
                    <div className="button-row">
                      <Link
                        to={`/clients/${encodeURIComponent(c.id)}`}
                        className="button button--secondary button--small"
                        aria-label={`${canWrite ? "Manage" : "View"} ${c.name}`}
                      >
                        {canWrite ? "Manage" : "View"}
                      </Link>
                      {canWrite ? <RowMenu label={`More actions for ${c.name}`} items={actions(c)} /> : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="table-footer">
            <p className="muted">
              {formatNumber(list.items.length)} {list.nextCursor ? "shown" : list.items.length === 1 ? "client" : "clients"}
            </p>
            <LoadMore list={list} />
          </div>
        </div>
      )}

      {adding ? (
        <AddClientModal
          onClose={() => setQuery({ add: null })}
          onCreated={() => {
            list.reload();
            poolList.reload();
          }}
        />
      ) : null}
      {dialog?.kind === "suspend" ? (
        <SuspendDialog
          client={dialog.client}
          onClose={() => setDialog(null)}
          onSuspended={(next) => {
            setDialog(null);
            replace(next);
            toast({
              tone: "success",
              title: `${next.name} suspended`,
              body: "It keeps its license slot. Resume it at any time.",
            });
          }}
        />
      ) : null}
      {dialog?.kind === "revoke" && dialog.client.license ? (
        <RevokeModal
          client={{ ...dialog.client, license_type: dialog.client.license.license_type }}
          onClose={() => setDialog(null)}
          onRevoked={(r) => {
            setDialog(null);
            replace(r.client);
            poolList.setData((all) => replacePool(all, r.pool));
            toast({
              tone: "success",
              title: `License revoked from ${r.client.name}`,
              body: "The slot is free again. The plugin falls back to the free tier at its next check-in.",
            });
          }}
          onSuspended={(next) => {
            setDialog(null);
            replace(next);
            toast({ tone: "success", title: `${next.name} suspended`, body: "It keeps its license slot." });
          }}
        />
      ) : null}
      {dialog?.kind === "allocate" ? (
        <ClientAllocateModal
          client={dialog.client}
          onClose={() => setDialog(null)}
          onAllocated={({ license, pool }) => {
            setDialog(null);
            const { pool_id, license_type, allocated_at } = license;
            replace({ ...dialog.client, license: { pool_id, license_type, allocated_at } });
            poolList.setData((all) => replacePool(all, pool));
            toast({
              tone: "success",
              title: `License allocated to ${dialog.client.name}`,
              body: "The plugin picks it up on its next check-in.",
            });
          }}
        />
      ) : null}
      {dialog?.kind === "reissue" ? (
        <ReissueModal
          client={dialog.client}
          onClose={() => setDialog(null)}
          onReissued={(next, _pool, label) => {
            setDialog(null);
            replace(next);
            poolList.reload();
            toast({ tone: "success", title: `${next.name} moved to ${label}`, body: "The plugin notices at its next check-in." });
          }}
        />
      ) : null}
    </>
  );
}
