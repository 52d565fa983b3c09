import { useState } from "react";
import type { ApiKey } from "../../../src/contracts/types.js";
import { Modal, ModalActions } from "../components/Modal";
import { SecretRevealModal } from "../components/SecretReveal";
import { ErrorNotice } from "../components/States";
import { apiKeys } from "../endpoints";
import { useFormAction } from "../hooks";
import { BearerStep } from "./CreateApiKeyModal";

interface RotateApiKeyModalProps {
  apiKey: ApiKey;
  onClose: () => void;
  /** Called as soon as the new secret exists (before it is dismissed), so the page can show the new prefix. */
  onRotated: (key: ApiKey) => void;
}

/**
 * Step 1: what rotating breaks (every script on the old secret, at once), and nothing happens until it is confirmed.
 * Step 2: the new key, shown once, with a copy button. The key keeps its name and access.
 */
export function RotateApiKeyModal({ apiKey, onClose, onRotated }: RotateApiKeyModalProps) {
  const { busy, errors, run } = useFormAction([]);
  const [secret, setSecret] = useState<string | null>(null);
  // The page shows the new prefix once rotated; this dialog keeps talking about the key it replaced.
  const [oldPrefix] = useState(apiKey.prefix);

  const rotate = () =>
    run(async () => {
      const res = await apiKeys.rotate(apiKey.id);
      setSecret(res.api_key);
      onRotated(res.key);
    });

  if (secret) {
    return (
      <SecretRevealModal
        // A new dialog, so focus moves into it (the confirm button it replaces is gone).
        key="reveal"
        title="Your new API key"
        description={
          <>
            The old key <code className="code">{oldPrefix}…</code> no longer works.
          </>
        }
        onClose={onClose}
        doneLabel="I've copied the key"
        secret={secret}
        label="New API key"
        ifLost="rotate the key again"
        testId="api-key"
        hintTitle="Put it to use"
      >
        <li>Replace the old key wherever your scripts keep it: environment variables, CI secrets, config files.</li>
        <BearerStep />
      </SecretRevealModal>
    );
  }

  return (
    <Modal
      key="confirm"
      title="Rotate your API key?"
      description={`“${apiKey.name}” gets a new secret; its name and access stay.`}
      onClose={onClose}
      busy={busy}
      tone="danger"
      footer={
        <ModalActions
          onCancel={onClose}
          busy={busy}
          onConfirm={rotate}
          tone="danger"
          focusCancel
          label="Rotate API key"
          busyLabel="Rotating…"
        />
      }
    >
      <div className="prose">
        <p>licensepool creates a new key and shows it to you once.</p>
        <ul className="consequences">
          <li className="consequences__item consequences__item--bad">
            <span>
              The current key <code className="code">{oldPrefix}…</code> <strong>stops working immediately</strong>. Scripts and
              integrations still using it are refused (401 Unauthorized) until you give them the new key.
            </span>
          </li>
          <li className="consequences__item consequences__item--good">
            <span>This dashboard keeps working: it uses your sign-in, not the API key.</span>
          </li>
          <li className="consequences__item consequences__item--good">
            <span>Your other API keys, pools, clients and licenses don't change; client sites keep their own site keys.</span>
          </li>
        </ul>
      </div>
      <ErrorNotice message={errors.form} />
    </Modal>
  );
}
