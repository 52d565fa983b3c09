import type { Client } from "../../../../src/contracts/types.js";
import { Modal } from "../../components/Modal";
import { SiteKeyReveal } from "../../components/SecretReveal";
import { clients } from "../../endpoints";
import { shortSite } from "../../format";
import { ConfirmModal } from "../../modals/ConfirmModal";

/** The client-page actions that touch a live site, each behind a dialog that says what the site will notice. */

interface ActionProps {
  client: Client;
  onClose: () => void;
}

export function SuspendDialog({ client, onClose, onSuspended }: ActionProps & { onSuspended: (client: Client) => void }) {
  return (
    <ConfirmModal
      title={`Suspend ${client.name}?`}
      confirmLabel="Suspend client"
      busyLabel="Suspending…"
      onClose={onClose}
      onConfirm={async () => onSuspended((await clients.suspend(client.id)).client)}
    >
      <p>
        At its next check-in the plugin on <strong>{shortSite(client.site_url)}</strong> is told it is suspended: firewall rules,
        malware signatures and threat-intelligence sync pause. The site keeps running.
      </p>
      <p>The client keeps its license slot, so you can resume it at any time.</p>
    </ConfirmModal>
  );
}

export function RegenerateKeyDialog({
  client,
  onClose,
  onRegenerated,
}: ActionProps & { onRegenerated: (result: { client: Client; site_key: string }) => void }) {
  return (
    <ConfirmModal
      title="Regenerate the site key?"
      confirmLabel="Regenerate key"
      busyLabel="Regenerating…"
      tone="danger"
      onClose={onClose}
      onConfirm={async () => onRegenerated(await clients.regenerateKey(client.id))}
    >
      <p>
        The current key stops working immediately. The plugin on <strong>{shortSite(client.site_url)}</strong> can't check in
        until the new key is pasted into its settings.
      </p>
      <p>Do this if the key leaked or the site moved to a new install.</p>
    </ConfirmModal>
  );
}

export function NewSiteKeyDialog({ client, siteKey, onClose }: ActionProps & { siteKey: string }) {
  return (
    <Modal
      title="New site key"
      description={`The old key no longer works. Install this one on ${shortSite(client.site_url)}.`}
      onClose={onClose}
      footer={
        <button type="button" className="button button--primary" onClick={onClose}>
          I've copied the key
        </button>
      }
    >
      <SiteKeyReveal siteKey={siteKey} siteUrl={client.site_url} />
    </Modal>
  );
}

export function OffboardDialog({ client, onClose, onOffboarded }: ActionProps & { onOffboarded: () => void }) {
  const licensed = client.license !== null;
  return (
    <ConfirmModal
      title={`Offboard ${client.name}?`}
      confirmLabel="Offboard client"
      busyLabel="Offboarding…"
      tone="danger"
      onClose={onClose}
      onConfirm={async () => {
        await clients.offboard(client.id);
        onOffboarded();
      }}
    >
      <p>
        This deletes the client and its site key{licensed ? " and returns its license slot to the pool" : ""}. The plugin on{" "}
        <strong>{shortSite(client.site_url)}</strong> can no longer check in and falls back to the free tier; the site keeps
        running.
      </p>
      <p>This can't be undone. To take it back later, add the site again as a new client.</p>
    </ConfirmModal>
  );
}
