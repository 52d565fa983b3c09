import { type FormEvent, useState } from "react";
import { NAME_MAX } from "../../../src/contracts/limits.js";
import type { ApiKey, ApiKeyScope } from "../../../src/contracts/types.js";
import { ChoiceField } from "../components/ChoiceField";
import { InputField } from "../components/Field";
import { Modal, ModalActions } from "../components/Modal";
import { SecretRevealModal } from "../components/SecretReveal";
import { ErrorNotice } from "../components/States";
import { apiKeys } from "../endpoints";
import { useFormAction } from "../hooks";

export const SCOPE_CHOICES = [
  { value: "read" as const, label: "Read only", note: "Lists and reads pools, clients and activity; changes nothing" },
  {
    value: "read_write" as const,
    label: "Read and write",
    note: "Also adds clients, allocates and revokes licenses, buys plans; not users or keys",
  },
];

export const scopeWords = (scope: ApiKeyScope) => (scope === "read" ? "Read only" : "Read and write");

/** The last step of using a new API key: how requests carry it. */
export function BearerStep() {
  return (
    <li>
      Send it with every request as <code className="code">Authorization: Bearer &lt;key&gt;</code>.
    </li>
  );
}

/** Step 1: a name to recognise the key by, and what it may do. Step 2: the key, shown once. */
export function CreateApiKeyModal({ onClose, onCreated }: { onClose: () => void; onCreated: (key: ApiKey) => void }) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState<ApiKeyScope>("read");
  const { busy, errors, run, invalid } = useFormAction(["name", "scope"]);
  const [created, setCreated] = useState<{ key: ApiKey; secret: string } | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) return invalid("name", "Name the key after what uses it, e.g. “Billing sync”.");
    void run(async () => {
      const res = await apiKeys.create(name.trim(), scope);
      setCreated({ key: res.key, secret: res.api_key });
      onCreated(res.key);
    });
  };

  if (created) {
    return (
      <SecretRevealModal
        key="reveal"
        title={`API key “${created.key.name}” created`}
        description={`${scopeWords(created.key.scope)}. It works from now on, until you revoke it.`}
        onClose={onClose}
        doneLabel="I've copied the key"
        secret={created.secret}
        label="New API key"
        ifLost="revoke it and create another"
        testId="api-key"
        hintTitle="Put it to use"
      >
        <li>Keep it where your script keeps secrets: an environment variable, a CI secret, a config file.</li>
        <BearerStep />
      </SecretRevealModal>
    );
  }

  return (
    <Modal
      key="form"
      title="Create an API key"
      description="For a script or an integration. Give each one its own key, so you can revoke one without breaking the others."
      onClose={onClose}
      busy={busy}
      footer={<ModalActions onCancel={onClose} busy={busy} form="create-api-key-form" label="Create key" busyLabel="Creating…" />}
    >
      <form id="create-api-key-form" className="form" onSubmit={submit} noValidate>
        <InputField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={NAME_MAX}
          error={errors.field.name}
          placeholder="e.g. Billing sync"
          autoComplete="off"
          data-autofocus
        />
        <ChoiceField legend="Access" choices={SCOPE_CHOICES} value={scope} onChange={setScope} error={errors.field.scope} />
      </form>
      <ErrorNotice message={errors.form} />
    </Modal>
  );
}
