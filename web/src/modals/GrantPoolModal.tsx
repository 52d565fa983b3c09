import { type FormEvent, useId, useState } from "react";
import { POOL_TOTAL_MAX, REASON_MAX } from "../../../src/contracts/limits.js";
import type { Pool } from "../../../src/contracts/types.js";
import { InputField, TextAreaField } from "../components/Field";
import { Modal, ModalActions } from "../components/Modal";
import { ErrorNotice } from "../components/States";
import { supportApi } from "../endpoints";
import { type FormErrors, formErrors, NO_FORM_ERRORS } from "../errors";
import { titleCase } from "../format";

interface GrantPoolModalProps {
  reseller: { id: string; name: string };
  /** License types to suggest (those the catalog and existing pools use). */
  knownTypes: string[];
  onClose: () => void;
  onGranted: (pool: Pool) => void;
}

const TYPE = /^[a-z][a-z0-9_-]*$/;

/** Support gives a reseller a new pool outside the catalog (goodwill, migration), always with a reason for the audit log. */
export function GrantPoolModal({ reseller, knownTypes, onClose, onGranted }: GrantPoolModalProps) {
  const selectId = useId();
  /** One of `knownTypes`, or "" for another type typed into `other`. */
  const [choice, setChoice] = useState(knownTypes[0] ?? "");
  const [other, setOther] = useState("");
  const [total, setTotal] = useState("5");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_FORM_ERRORS);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const licenseType = (choice || other).trim().toLowerCase();
    const n = Number(total);
    const field: Record<string, string> = {};
    if (!licenseType) field.license_type = "Enter a license type, e.g. premium.";
    else if (!TYPE.test(licenseType)) field.license_type = "Use one lower-case word, like premium or business.";
    if (total.trim() === "" || !Number.isInteger(n) || n < 1) field.total = "Enter a whole number of slots, at least 1.";
    else if (n > POOL_TOTAL_MAX) field.total = `At most ${POOL_TOTAL_MAX} slots.`;
    if (!reason.trim()) field.reason = "Say why: it is kept in the reseller's audit log.";
    setErrors({ field, form: null });
    if (Object.keys(field).length) return;
    setBusy(true);
    try {
      onGranted((await supportApi.grantPool(reseller.id, licenseType, n, reason.trim())).pool);
    } catch (err) {
      // A refused known type can't be fixed in a text box: it goes at the top of the form.
      setErrors(formErrors(err, choice ? ["total", "reason"] : ["license_type", "total", "reason"]));
      setBusy(false);
    }
  };

  return (
    <Modal
      title={`Grant a pool to ${reseller.name}`}
      description="A new pool outside the catalog, free of charge. It appears on the reseller's Licenses page at once."
      onClose={onClose}
      busy={busy}
      size="sm"
      footer={<ModalActions onCancel={onClose} busy={busy} form="grant-form" label="Grant pool" busyLabel="Granting…" />}
    >
      <form id="grant-form" className="form" onSubmit={submit} noValidate>
        <div className="field">
          <label className="field__label" htmlFor={selectId}>
            License type
          </label>
          <select
            id={selectId}
            className="input select"
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
            data-autofocus
          >
            {knownTypes.map((t) => (
              <option key={t} value={t}>
                {titleCase(t)}
              </option>
            ))}
            <option value="">Another type…</option>
          </select>
        </div>
        {choice === "" ? (
          <InputField
            label="New license type"
            value={other}
            onChange={(e) => setOther(e.target.value)}
            maxLength={50}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            error={errors.field.license_type}
            hint="One lower-case word, e.g. enterprise. The plugin must know this type."
          />
        ) : null}
        <InputField
          label="Slots"
          type="number"
          inputMode="numeric"
          min={1}
          max={POOL_TOTAL_MAX}
          step={1}
          value={total}
          onChange={(e) => setTotal(e.target.value)}
          error={errors.field.total}
        />
        <TextAreaField
          label="Reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={REASON_MAX}
          rows={3}
          error={errors.field.reason}
          placeholder="e.g. Migration from the legacy reseller program"
        />
      </form>
      <ErrorNotice message={errors.form} />
    </Modal>
  );
}
