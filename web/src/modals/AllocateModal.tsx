import { type FormEvent, useState } from "react";
import type { Client, Pool } from "../../../src/contracts/types.js";
import { Modal, ModalActions } from "../components/Modal";
import { PoolFullHelp } from "../components/PoolFullHelp";
import { EmptyState, ErrorState, Notice, Spinner } from "../components/States";
import { clients, pools } from "../endpoints";
import { friendlyMessage, isPoolFull } from "../errors";
import { formatRelative, plural, shortSite } from "../format";
import { useAsync, useDebounced } from "../hooks";
import { Link } from "../router";

const PICK_LIMIT = 20;

interface AllocateModalProps {
  pool: Pool;
  /** The pool's name among the reseller's pools. */
  label: string;
  onClose: () => void;
  /** `pool`: the pool as it is after the allocation, with its new counts. */
  onAllocated: (client: Client, pool: Pool) => void;
  onShowHolders: () => void;
  onRequestChange: () => void;
}

/** Pick one of the clients that hold no license (searchable) and give it a slot of this pool. */
export function AllocateModal({ pool, label, onClose, onAllocated, onShowHolders, onRequestChange }: AllocateModalProps) {
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim());
  const [chosen, setChosen] = useState<Client | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const candidates = useAsync(() => clients.list({ licensed: "false", q, limit: PICK_LIMIT }), q);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const res = await pools.allocate(pool.id, chosen.id);
      onAllocated(chosen, res.pool);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const list = candidates.data?.clients ?? [];
  return (
    <Modal
      title={`Allocate a ${label} license`}
      description={`${plural(pool.unallocated, "slot")} free in this pool. Only clients without a license are listed.`}
      onClose={onClose}
      busy={busy}
      size="md"
      footer={
        <ModalActions
          onCancel={onClose}
          busy={busy}
          form="allocate-form"
          disabled={!chosen}
          label={chosen ? `Allocate to ${chosen.name}` : "Allocate license"}
          busyLabel="Allocating…"
        />
      }
    >
      <form id="allocate-form" className="form" onSubmit={submit}>
        <div className="field">
          <label className="field__label" htmlFor="allocate-search">
            Find a client
          </label>
          <input
            id="allocate-search"
            className="input"
            type="search"
            placeholder="Search by name or site"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
            data-autofocus
          />
        </div>
        <fieldset className="picker" aria-busy={candidates.loading}>
          <legend className="visually-hidden">Clients without a license</legend>
          {candidates.error ? (
            <ErrorState error={candidates.error} onRetry={candidates.reload} title="Clients didn't load" />
          ) : candidates.loading && !candidates.data ? (
            <div className="picker__status">
              <Spinner label="Finding clients…" />
            </div>
          ) : list.length === 0 ? (
            <EmptyState title={q ? `No unlicensed client matches “${q}”` : "Every client already holds a license"}>
              <p>
                Add the site as a new client first. <Link to="/clients?add=1">Add a client</Link>
              </p>
            </EmptyState>
          ) : (
            <ul className="picker__list">
              {list.map((c) => (
                <li key={c.id}>
                  <label className={`picker__option${chosen?.id === c.id ? " is-selected" : ""}`}>
                    <input type="radio" name="client" value={c.id} checked={chosen?.id === c.id} onChange={() => setChosen(c)} />
                    <span className="picker__main">
                      <span className="picker__name">{c.name}</span>
                      <span className="picker__meta">{shortSite(c.site_url)}</span>
                    </span>
                    <span className="picker__side">
                      {c.status === "suspended" ? <span className="badge badge--neutral">Suspended</span> : null}
                      <span className="picker__meta">
                        {c.last_check_in_at ? `Seen ${formatRelative(c.last_check_in_at)}` : "Never checked in"}
                      </span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          {candidates.data?.next_cursor ? (
            <p className="picker__more">Showing the newest {PICK_LIMIT}. Search to narrow the list.</p>
          ) : null}
        </fieldset>
        <p className="hint-line">The client's plugin picks up the license on its next check-in.</p>
      </form>
      {isPoolFull(error) ? (
        <>
          <Notice tone="danger" live title="This pool just filled up">
            Every slot is allocated now, so the license was not allocated.
          </Notice>
          <PoolFullHelp compact onShowHolders={onShowHolders} onRequestChange={onRequestChange} />
        </>
      ) : error ? (
        <Notice tone="danger" live>
          {friendlyMessage(error)}
        </Notice>
      ) : null}
    </Modal>
  );
}
