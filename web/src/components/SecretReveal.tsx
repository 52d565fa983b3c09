import { type ReactNode, useId, useRef, useState } from "react";
import { shortSite } from "../format";
import { IconCheck, IconCopy } from "./Icons";
import { Modal } from "./Modal";
import { Notice } from "./States";

interface SecretRevealProps {
  /** The secret itself, in plain text: this is the only time it is ever on screen. */
  secret: string;
  label: string;
  /** How to get a new one if it is lost, e.g. "regenerate a new one". */
  ifLost: string;
  testId: string;
  /** Where the secret goes: a short how-to under the key. */
  children?: ReactNode;
  /** What it is called in the copy prompts: a key (default), or a link such as an invite link. */
  noun?: "key" | "link";
}

/** A secret (site key, API key) shown exactly once: a copy button, and where to put it. */
export function SecretReveal({ secret, label, ifLost, testId, children, noun = "key" }: SecretRevealProps) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "manual" | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      // No clipboard permission (or not a secure context): select the key so Ctrl/Cmd+C copies it.
      inputRef.current?.select();
      setCopied("manual");
    }
  };

  return (
    <div className="sitekey">
      <Notice tone="warning" title={`Copy this ${noun} now`}>
        It is shown only once. licensepool keeps only a fingerprint of it; if it is lost, {ifLost}.
      </Notice>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="sitekey__row">
        <input
          id={id}
          ref={inputRef}
          className="input input--mono sitekey__value"
          readOnly
          value={secret}
          onFocus={(e) => e.currentTarget.select()}
          data-testid={testId}
        />
        <button type="button" className="button button--primary" onClick={copy}>
          {copied === "yes" ? <IconCheck /> : <IconCopy />}
          {copied === "yes" ? "Copied" : `Copy ${noun}`}
        </button>
      </div>
      <p className="field__hint" role="status">
        {copied === "manual"
          ? `Your browser blocked the clipboard; the ${noun} is selected, press Ctrl+C (⌘C on Mac) to copy it.`
          : null}
      </p>
      {children}
    </div>
  );
}

/** Numbered steps under a secret: where it goes and how to use it. `children` are the <li> steps. */
export function InstallHint({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="install-hint">
      <p className="install-hint__title">{title}</p>
      <ol className="install-hint__steps">{children}</ol>
    </div>
  );
}

interface SecretRevealModalProps extends Omit<SecretRevealProps, "children"> {
  title: ReactNode;
  description: ReactNode;
  onClose: () => void;
  /** The footer's only button, which closes the dialog once the secret is safe. */
  doneLabel: string;
  /** The title of the steps under the secret; `children` are the <li> steps. */
  hintTitle: string;
  children: ReactNode;
}

/** The second step of a dialog that made a secret: the secret, shown once, with steps for using it. */
export function SecretRevealModal({
  title,
  description,
  onClose,
  doneLabel,
  hintTitle,
  children,
  ...reveal
}: SecretRevealModalProps) {
  return (
    <Modal
      title={title}
      description={description}
      onClose={onClose}
      footer={
        <button type="button" className="button button--primary" onClick={onClose}>
          {doneLabel}
        </button>
      }
    >
      <SecretReveal {...reveal}>
        <InstallHint title={hintTitle}>{children}</InstallHint>
      </SecretReveal>
    </Modal>
  );
}

/** A client's new site key, with how to install it in the plugin. */
export function SiteKeyReveal({ siteKey, siteUrl }: { siteKey: string; siteUrl: string }) {
  return (
    <SecretReveal secret={siteKey} label={`Site key for ${shortSite(siteUrl)}`} ifLost="regenerate a new one" testId="site-key">
      <InstallHint title="Install it">
        <li>Open the admin area of {shortSite(siteUrl)}.</li>
        <li>
          Open the plugin's <strong>Settings → License</strong> and paste the key.
        </li>
        <li>Save. The plugin checks in and picks up its license within minutes.</li>
      </InstallHint>
    </SecretReveal>
  );
}
