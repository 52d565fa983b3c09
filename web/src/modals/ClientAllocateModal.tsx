import { useState } from "react";
import type { Client, License, Pool } from "../../../src/contracts/types.js";
import { Modal, ModalActions } from "../components/Modal";
import { PoolFullHelp } from "../components/PoolFullHelp";
import { PoolPicker } from "../components/PoolPicker";
import { EmptyState, ErrorState, Notice, Spinner } from "../components/States";
import { pools } from "../endpoints";
import { friendlyMessage, isPoolFull } from "../errors";
import { shortSite } from "../format";
import { useAsync } from "../hooks";
import { loadPools } from "../pools";
import { Link } from "../router";

interface ClientAllocateModalProps {
  client: Client;
  onClose: () => void;
  /** The new license, and its pool as it is after the allocation. */
  onAllocated: (result: { license: License; pool: Pool }) => void;
}

/** From a client's page: pick the pool its license comes from. */
export function ClientAllocateModal({ client, onClose, onAllocated }: ClientAllocateModalProps) {
  const poolList = useAsync(loadPools, "pools");
  const [picked, setPicked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const firstFree = poolList.data?.find((p) => p.unallocated > 0)?.id ?? null;
  const target = picked ?? firstFree;

  const submit = async () => {
    if (!target) return;
    setBusy(true);
    setError(null);
    try {
      onAllocated(await pools.allocate(target, client.id));
    } catch (err) {
      setError(err);
      setBusy(false);
      if (isPoolFull(err)) poolList.reload();
    }
  };

  return (
    <Modal
      title={`Allocate a license to ${client.name}`}
      description={shortSite(client.site_url)}
      onClose={onClose}
      busy={busy}
      footer={
        <ModalActions
          onCancel={onClose}
          busy={busy}
          onConfirm={submit}
          disabled={!target}
          label="Allocate license"
          busyLabel="Allocating…"
        />
      }
    >
      {poolList.error ? (
        <ErrorState error={poolList.error} onRetry={poolList.reload} title="Pools didn't load" />
      ) : !poolList.data ? (
        <Spinner label="Loading pools…" />
      ) : poolList.data.length === 0 ? (
        <EmptyState title="You have no license pools yet">
          <p>
            Buy a plan to get your first pool. <Link to="/plans">See plans</Link>
          </p>
        </EmptyState>
      ) : (
        <>
          <PoolPicker legend="Take a slot from" pools={poolList.data} value={target} onChange={setPicked} />
          {!firstFree ? (
            <PoolFullHelp compact />
          ) : (
            <p className="hint-line">The plugin picks up the license on its next check-in.</p>
          )}
        </>
      )}
      {isPoolFull(error) ? (
        <Notice tone="danger" live title="That pool just filled up">
          Nothing was allocated. Pick another pool.
        </Notice>
      ) : error ? (
        <Notice tone="danger" live>
          {friendlyMessage(error)}
        </Notice>
      ) : null}
    </Modal>
  );
}
