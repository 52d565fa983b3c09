import { type FormEvent, useState } from "react";
import { NOTE_MAX, POOL_TOTAL_MAX } from "../../../src/contracts/limits.js";
import type { Pool, PoolRequest } from "../../../src/contracts/types.js";
import { InputField, TextAreaField } from "../components/Field";
import { Modal, ModalActions } from "../components/Modal";
import { ErrorNotice } from "../components/States";
import { pools } from "../endpoints";
import { type FormErrors, formErrors, NO_FORM_ERRORS } from "../errors";
import { plural } from "../format";

interface PoolRequestModalProps {
  pool: Pool;
  /** The pool's name among the reseller's pools. */
  label: string;
  onClose: () => void;
  onFiled: (request: PoolRequest) => void;
}

/** A short request to support to change one pool's size in place (POST /api/v1/pool-requests). */
export function PoolRequestModal({ pool, label, onClose, onFiled }: PoolRequestModalProps) {
  const [total, setTotal] = useState(String(pool.total + 5));
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_FORM_ERRORS);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const requested = Number(total);
    if (!Number.isInteger(requested) || requested < 1) {
      setErrors({ field: { requested_total: "Enter a whole number of slots, at least 1." }, form: null });
      return;
    }
    if (requested === pool.total) {
      setErrors({
        field: { requested_total: `The pool already has ${pool.total} slots. Ask for a different size.` },
        form: null,
      });
      return;
    }
    if (requested < pool.used) {
      setErrors({
        field: { requested_total: `${plural(pool.used, "slot")} are in use; ask for at least ${pool.used}.` },
        form: null,
      });
      return;
    }
    setBusy(true);
    setErrors({ field: {}, form: null });
    try {
      onFiled((await pools.requestChange(pool.id, requested, note.trim())).pool_request);
    } catch (err) {
      setErrors(formErrors(err, ["requested_total", "note"]));
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Ask support to resize this pool"
      description={`${label}: ${pool.used} of ${pool.total} slots in use.`}
      onClose={onClose}
      busy={busy}
      size="sm"
      footer={<ModalActions onCancel={onClose} busy={busy} form="pool-request-form" label="Send request" busyLabel="Sending…" />}
    >
      <form id="pool-request-form" className="form" onSubmit={submit} noValidate>
        <InputField
          label="New pool size (slots)"
          type="number"
          inputMode="numeric"
          min={Math.max(1, pool.used)}
          max={POOL_TOTAL_MAX}
          step={1}
          value={total}
          onChange={(e) => setTotal(e.target.value)}
          error={errors.field.requested_total}
          hint={`Currently ${pool.total}. You can ask for fewer, but not below the ${pool.used} in use.`}
          data-autofocus
        />
        <TextAreaField
          label="Note for support (optional)"
          value={note}
          maxLength={NOTE_MAX}
          rows={3}
          onChange={(e) => setNote(e.target.value)}
          error={errors.field.note}
          placeholder="e.g. Onboarding five new agency sites this month"
        />
      </form>
      <ErrorNotice message={errors.form} />
    </Modal>
  );
}
