import { useState } from "react";
import type { Client, Pool } from "../../../src/contracts/types.js";
import { Modal, ModalActions } from "../components/Modal";
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
  /** `pool`: the pool the license moved to, and `label` its name among the reseller's pools. */
  onReissued: (client: Client, pool: Pool, label: string) => void;
}

/**
 * Move a client's license to a slot of another pool, all or nothing: to another license type, or to another pool of
 * the same type (e.g. to free up a plan that is about to fill up). Options are grouped by license type.
 */
export function ReissueModal({ client, onClose, onReissued }: ReissueModalProps) {
  const poolList = useAsync(loadPools, "pools");
  const [target, setTarget] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const current = client.license;
  const all = poolList.data ?? [];
  const others = all.filter((p) => p.id !== current?.pool_id);
  const chosen = all.find((p) => p.id === target) ?? null;
  const currentPool = all.find((p) => p.id === current?.pool_id);
  const chosenLabel = chosen ? poolLabel(chosen, all) : "";

  const submit = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      onReissued((await clients.reissue(client.id, chosen.id)).client, chosen, chosenLabel);
    } catch (err) {
      setError(err);
      setBusy(false);
      if (isPoolFull(err)) poolList.reload();
    }
  };

  const now = current ? `now on ${currentPool ? poolLabel(currentPool, all) : titleCase(current.license_type)}` : "unlicensed";
  const sameType = chosen && current && chosen.license_type === current.license_type;
  return (
    <Modal
      title="Change license or pool"
      description={`${client.name} · ${shortSite(client.site_url)} · ${now}`}
      onClose={onClose}
      busy={busy}
      footer={
        <ModalActions
          onCancel={onClose}
          busy={busy}
          onConfirm={submit}
          disabled={!chosen}
          label={chosen ? `Move to ${chosenLabel}` : "Move license"}
          busyLabel="Moving…"
        />
      }
    >
      {poolList.error ? (
        <ErrorState error={poolList.error} onRetry={poolList.reload} title="Pools didn't load" />
      ) : !poolList.data ? (
        <Spinner label="Loading pools…" />
      ) : others.length === 0 ? (
        <EmptyState title="No other pool to move to">
          <p>
            Buy another plan or a top-up first. <Link to="/plans">See plans</Link>
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
            groupByType
          />
          <p className="hint-line">
            {!chosen
              ? "Pick a pool of any license type. The move is all or nothing: if the new pool is full, the client keeps its current license."
              : sameType
                ? `The plugin stays on ${titleCase(chosen.license_type)}; only the slot moves. The old slot returns to its pool at once.`
                : `At its next check-in the plugin switches to ${titleCase(chosen.license_type)}. The old slot returns to its pool at once.`}
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
