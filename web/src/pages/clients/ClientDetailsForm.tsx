import { type FormEvent, useState } from "react";
import { NAME_MAX, SITE_URL_MAX } from "../../../../src/contracts/limits.js";
import type { Client } from "../../../../src/contracts/types.js";
import { InputField } from "../../components/Field";
import { Notice } from "../../components/States";
import { clients } from "../../endpoints";
import { type FormErrors, formErrors, NO_FORM_ERRORS } from "../../errors";

/** Rename a client or correct its site URL; server validation errors land next to the field they name. */
export function ClientDetailsForm({ client, onSaved }: { client: Client; onSaved: (client: Client) => void }) {
  const [name, setName] = useState(client.name);
  const [siteUrl, setSiteUrl] = useState(client.site_url);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_FORM_ERRORS);
  const dirty = name.trim() !== client.name || siteUrl.trim() !== client.site_url;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!dirty) return;
    const field: Record<string, string> = {};
    if (!name.trim()) field.name = "The name can't be empty.";
    if (!siteUrl.trim()) field.site_url = "Enter the site's address, e.g. harborcoffee.com.";
    setErrors({ field, form: null });
    setSaved(false);
    if (Object.keys(field).length) return;
    setBusy(true);
    try {
      const body = {
        ...(name.trim() !== client.name ? { name: name.trim() } : {}),
        ...(siteUrl.trim() !== client.site_url ? { site_url: siteUrl.trim() } : {}),
      };
      const next = (await clients.update(client.id, body)).client;
      setName(next.name);
      setSiteUrl(next.site_url);
      setSaved(true);
      onSaved(next);
    } catch (err) {
      setErrors(formErrors(err, ["name", "site_url"]));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="details-h">
      <h2 id="details-h" className="card__title">
        Details
      </h2>
      <form className="form" onSubmit={submit} noValidate>
        <InputField
          label="Client name"
          value={name}
          maxLength={NAME_MAX}
          onChange={(e) => {
            setName(e.target.value);
            setSaved(false);
          }}
          error={errors.field.name}
        />
        <InputField
          label="Site URL"
          type="url"
          value={siteUrl}
          maxLength={SITE_URL_MAX}
          onChange={(e) => {
            setSiteUrl(e.target.value);
            setSaved(false);
          }}
          error={errors.field.site_url}
          hint="Changing it does not change the site key; the plugin must run on the new address."
        />
        {errors.form ? (
          <Notice tone="danger" live>
            {errors.form}
          </Notice>
        ) : null}
        <div className="card__actions">
          <button type="submit" className="button button--secondary" disabled={busy || !dirty}>
            {busy ? "Saving…" : "Save changes"}
          </button>
          <span className="save-state" role="status">
            {saved ? "Saved" : ""}
          </span>
        </div>
      </form>
    </section>
  );
}
