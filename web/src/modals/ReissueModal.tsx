import { useState } from "react";
import type { Client } from "../../../src/contracts/types.js";
import { Modal } from "../components/Modal";
import { PoolFullHelp } from "../components/PoolFullHelp";
import { PoolPicker } from "../components/PoolPicker";
import { EmptyState, ErrorState, Notice, Spinner } from "../components/States";
import { clients } from "../endpoints";
import { friendlyMessage, isPoolFull } from "../errors";
import { shortSite, titleCase } from "../format";
import { useAsync } from "../hooks";
import { loadPools, poolLabel } from "../pools";
import { Link } from "../router";

interface ReissueModalProps {
  client: Client;
  onClose: () => void;
  onReissued: (client: Client) => void;
}

/** Change a client's license type: move its license to a slot of another pool, all or nothing. */
export function ReissueModal({ client, onClose, onReissued }: ReissueModalProps) {
  const poolList = useAsync(loadPools, "pools");
  const [target, setTarget] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const current = client.license;
  const others = (poolList.data ?? []).filter((p) => p.id !== current?.pool_id);
  const chosen = poolList.data?.find((p) => p.id === target) ?? null;

  const submit = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      onReissued((await clients.reissue(client.id, target)).client);
    } catch (err) {
      setError(err);
      setBusy(false);
      if (isPoolFull(err)) poolList.reload();
    }
  };

  return (
    <Modal
      title="Change license type"
      description={`${client.name} · ${shortSite(client.site_url)} · now ${current ? titleCase(current.license_type) : "unlicensed"}`}
      onClose={onClose}
      busy={busy}
      footer={
        <>
          <button type="button" className="button button--secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" className="button button--primary" onClick={submit} disabled={busy || !target}>
            {busy ? "Changing…" : chosen ? `Move to ${poolLabel(chosen)}` : "Change license"}
          </button>
        </>
      }
    >
      {poolList.error ? (
        <ErrorState error={poolList.error} onRetry={poolList.reload} title="Pools didn't load" />
      ) : !poolList.data ? (
        <Spinner label="Loading pools…" />
      ) : others.length === 0 ? (
        <EmptyState title="No other pool to move to">
          <p>
            Buy a plan of another license type first. <Link to="/plans">See plans</Link>
          </p>
        </EmptyState>
      ) : (
        <>
          <PoolPicker
            legend="Move the license to"
            pools={poolList.data}
            value={target}
            onChange={setTarget}
            currentPoolId={current?.pool_id}
          />
          <p className="hint-line">
            {chosen
              ? `At its next check-in the plugin switches to ${titleCase(chosen.license_type)}. The old slot returns to its pool at once.`
              : "Pick a pool. The move is all or nothing: if the new pool is full, the client keeps its current license."}
          </p>
        </>
      )}
      {isPoolFull(error) ? (
        <>
          <Notice tone="danger" live title="That pool is full">
            Nothing changed; the client keeps its current license.
          </Notice>
          <PoolFullHelp compact />
        </>
      ) : error ? (
        <Notice tone="danger" live>
          {friendlyMessage(error)}
        </Notice>
      ) : null}
    </Modal>
  );
}
