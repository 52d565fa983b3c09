import { type FormEvent, useState } from "react";
import { POOL_TOTAL_MAX, REASON_MAX } from "../../../src/contracts/limits.js";
import type { Pool } from "../../../src/contracts/types.js";
import { InputField, TextAreaField } from "../components/Field";
import { Modal, ModalActions } from "../components/Modal";
import { ErrorNotice } from "../components/States";
import { supportApi } from "../endpoints";
import { type FormErrors, formErrors, NO_FORM_ERRORS } from "../errors";
import { titleCase } from "../format";

interface AdjustPoolModalProps {
  pool: Pool;
  /** The pool's name among the reseller's pools. */
  label: string;
  resellerName: string;
  onClose: () => void;
  onAdjusted: (pool: Pool) => void;
}

/** Support changes a pool's size in place; never below the slots in use, always with a reason (kept in the audit log). */
export function AdjustPoolModal({ pool, label, resellerName, onClose, onAdjusted }: AdjustPoolModalProps) {
  const [total, setTotal] = useState(String(pool.total));
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_FORM_ERRORS);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(total);
    const field: Record<string, string> = {};
    if (total.trim() === "" || !Number.isInteger(n) || n < 0) field.total = "Enter a whole number of slots.";
    else if (n < pool.used) field.total = `${pool.used} slots are in use; the size can't go below that.`;
    else if (n === pool.total) field.total = `The pool already has ${pool.total} slots.`;
    if (!reason.trim()) field.reason = "Say why: it is kept in the reseller's audit log.";
    setErrors({ field, form: null });
    if (Object.keys(field).length) return;
    setBusy(true);
    try {
      onAdjusted((await supportApi.adjustPool(pool.id, n, reason.trim())).pool);
    } catch (err) {
      setErrors(formErrors(err, ["total", "reason"]));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Adjust ${titleCase(pool.license_type)} pool`}
      description={`${resellerName} · ${label} · ${pool.used} of ${pool.total} slots in use`}
      onClose={onClose}
      busy={busy}
      size="sm"
      footer={<ModalActions onCancel={onClose} busy={busy} form="adjust-form" label="Change size" busyLabel="Saving…" />}
    >
      <form id="adjust-form" className="form" onSubmit={submit} noValidate>
        <InputField
          label="New size (slots)"
          type="number"
          inputMode="numeric"
          min={pool.used}
          max={POOL_TOTAL_MAX}
          step={1}
          value={total}
          onChange={(e) => setTotal(e.target.value)}
          error={errors.field.total}
          hint={`At least ${pool.used} (the slots in use).`}
          data-autofocus
        />
        <TextAreaField
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={REASON_MAX}
          rows={3}
          error={errors.field.reason}
          placeholder="e.g. Goodwill credit for the March outage"
        />
      </form>
      <ErrorNotice message={errors.form} />
    </Modal>
  );
}
