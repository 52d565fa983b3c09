import { type FormEvent, useState } from "react";
import { NAME_MAX, SITE_URL_MAX } from "../../../src/contracts/limits.js";
import type { Client } from "../../../src/contracts/types.js";
import { InputField } from "../components/Field";
import { Modal, ModalActions } from "../components/Modal";
import { PoolFullHelp } from "../components/PoolFullHelp";
import { PoolPicker } from "../components/PoolPicker";
import { SiteKeyReveal } from "../components/SecretReveal";
import { ErrorNotice, ErrorState, Notice, Spinner } from "../components/States";
import { clients } from "../endpoints";
import { type FormErrors, formErrors, isPoolFull, NO_FORM_ERRORS } from "../errors";
import { titleCase } from "../format";
import { useAsync } from "../hooks";
import { loadPools, poolLabel } from "../pools";

interface AddClientModalProps {
  onClose: () => void;
  /** Called once the client exists (before the key is dismissed), so the list behind can refresh. */
  onCreated: (client: Client) => void;
}

type Created = { client: Client; siteKey: string };

/** Step 1: name, site and pool. Step 2: the site key, shown once, with how to install it. */
export function AddClientModal({ onClose, onCreated }: AddClientModalProps) {
  const poolList = useAsync(loadPools, "pools");
  const [name, setName] = useState("");
  const [siteUrl, setSiteUrl] = useState("");
  const [poolId, setPoolId] = useState<string | null | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_FORM_ERRORS);
  const [poolFull, setPoolFull] = useState(false);
  const [created, setCreated] = useState<Created | null>(null);

  // Preselect the first pool with room; "no license" when every pool is full or there are none.
  const available = (poolList.data ?? []).filter((p) => p.unallocated > 0);
  const chosenPool = poolId === undefined ? (available[0]?.id ?? null) : poolId;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const field: Record<string, string> = {};
    if (!name.trim()) field.name = "Give the client a name, e.g. the business name.";
    if (!siteUrl.trim()) field.site_url = "Enter the site's address, e.g. harborcoffee.com.";
    const picked = poolList.data?.find((p) => p.id === chosenPool);
    if (picked && picked.unallocated <= 0) field.pool_id = "That pool is full. Pick another pool, or choose No license for now.";
    setErrors({ field, form: null });
    setPoolFull(false);
    if (Object.keys(field).length) return;
    setBusy(true);
    try {
      const res = await clients.create({ name: name.trim(), site_url: siteUrl.trim(), pool_id: chosenPool });
      setCreated({ client: res.client, siteKey: res.site_key });
      onCreated(res.client);
    } catch (err) {
      setPoolFull(isPoolFull(err));
      // Keep the full pool picked (now shown as full) so nothing is silently created without a license.
      if (isPoolFull(err)) setPoolId(chosenPool);
      setErrors(isPoolFull(err) ? { field: {}, form: null } : formErrors(err, ["name", "site_url", "pool_id"]));
      if (isPoolFull(err)) poolList.reload();
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    const license = created.client.license;
    const from = license ? poolList.data?.find((p) => p.id === license.pool_id) : undefined;
    return (
      <Modal
        title={`${created.client.name} is set up`}
        description={
          license
            ? `It holds a ${titleCase(license.license_type)} license${from ? ` from ${poolLabel(from, poolList.data ?? [])}` : ""}. The plugin picks it up on its first check-in.`
            : "It has no license yet and runs on the free tier until you allocate one."
        }
        onClose={onClose}
        footer={
          <button type="button" className="button button--primary" onClick={onClose}>
            I've copied the key
          </button>
        }
      >
        <SiteKeyReveal siteKey={created.siteKey} siteUrl={created.client.site_url} />
      </Modal>
    );
  }

  return (
    <Modal
      title="Add a client"
      description="A client is one customer site running the plugin."
      onClose={onClose}
      busy={busy}
      footer={
        <ModalActions
          onCancel={onClose}
          busy={busy}
          form="add-client-form"
          disabled={poolList.loading}
          label="Add client"
          busyLabel="Adding…"
        />
      }
    >
      <form id="add-client-form" className="form" onSubmit={submit} noValidate>
        <InputField
          label="Client name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={NAME_MAX}
          error={errors.field.name}
          placeholder="e.g. Harbor Coffee Roasters"
          autoComplete="off"
          data-autofocus
        />
        <InputField
          label="Site URL"
          type="url"
          inputMode="url"
          value={siteUrl}
          onChange={(e) => setSiteUrl(e.target.value)}
          maxLength={SITE_URL_MAX}
          error={errors.field.site_url}
          placeholder="harborcoffee.com"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          hint="The address the plugin runs on, e.g. harborcoffee.com or harborcoffee.com/shop. We add https:// if you leave it out."
        />
        {poolList.error ? (
          <ErrorState error={poolList.error} onRetry={poolList.reload} title="Pools didn't load" />
        ) : !poolList.data ? (
          <Spinner label="Loading pools…" />
        ) : (
          <PoolPicker
            legend="License"
            pools={poolList.data}
            value={chosenPool}
            onChange={setPoolId}
            allowNone
            error={errors.field.pool_id}
          />
        )}
      </form>
      {poolFull ? (
        <>
          <Notice tone="danger" live title="That pool is full">
            Nothing was created. Pick another pool or "No license for now", or free up room:
          </Notice>
          <PoolFullHelp compact />
        </>
      ) : null}
      <ErrorNotice message={errors.form} />
    </Modal>
  );
}
