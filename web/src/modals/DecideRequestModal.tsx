import { useState } from "react";
import { REASON_MAX } from "../../../src/contracts/limits.js";
import type { PoolRequest } from "../../../src/contracts/types.js";
import { TextAreaField } from "../components/Field";
import { Modal, ModalActions } from "../components/Modal";
import { ErrorNotice } from "../components/States";
import { supportApi } from "../endpoints";
import { friendlyMessage } from "../errors";
import { plural } from "../format";

interface DecideRequestModalProps {
  request: PoolRequest;
  decision: "approve" | "decline";
  resellerName: string;
  /** The pool's name, when known. */
  poolName?: string | undefined;
  onClose: () => void;
  onDecided: () => void;
}

/** Approve (the pool is resized at once) or decline a reseller's pool-size request, with an optional reason. */
export function DecideRequestModal({ request, decision, resellerName, poolName, onClose, onDecided }: DecideRequestModalProps) {
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const approve = decision === "approve";

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await supportApi.decide(request.id, decision, reason.trim() || undefined);
      onDecided();
    } catch (err) {
      setError(friendlyMessage(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={approve ? "Approve pool-size request?" : "Decline pool-size request?"}
      description={`${resellerName}${poolName ? ` · ${poolName}` : ""}: ${request.current_total} → ${plural(request.requested_total, "slot")}`}
      onClose={onClose}
      busy={busy}
      size="sm"
      tone={approve ? "default" : "danger"}
      footer={
        <ModalActions
          onCancel={onClose}
          busy={busy}
          onConfirm={submit}
          tone={approve ? "primary" : "danger"}
          label={approve ? "Approve and resize" : "Decline request"}
          busyLabel="Saving…"
        />
      }
    >
      <div className="prose">
        {approve ? (
          <p>
            The pool changes to {plural(request.requested_total, "slot")} at once, and the reseller sees it on their Licenses
            page.
          </p>
        ) : (
          <p>The pool stays at {plural(request.current_total, "slot")}. The reseller sees the decision in their activity log.</p>
        )}
        {request.note ? <blockquote className="quote">“{request.note}”</blockquote> : null}
      </div>
      <TextAreaField
        label={approve ? "Note (optional)" : "Reason (optional, shown to the reseller)"}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={REASON_MAX}
        rows={2}
        data-autofocus
      />
      <ErrorNotice message={error} />
    </Modal>
  );
}
