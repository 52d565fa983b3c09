import { useId, useRef, useState } from "react";
import { shortSite } from "../format";
import { IconCheck, IconCopy } from "./Icons";
import { Notice } from "./States";

/** A site key, shown exactly once: copy button, and where to paste it. */
export function SiteKeyReveal({ siteKey, siteUrl }: { siteKey: string; siteUrl: string }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "manual" | null>(null);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(siteKey);
      setCopied("yes");
    } catch {
      // No clipboard permission (or not a secure context): select the key so Ctrl/Cmd+C copies it.
      inputRef.current?.select();
      setCopied("manual");
    }
  };

  return (
    <div className="sitekey">
      <Notice tone="warning" title="Copy this key now">
        It is shown only once. licensepool keeps only a fingerprint of it; if it is lost, regenerate a new one.
      </Notice>
      <label className="field__label" htmlFor={id}>
        Site key for {shortSite(siteUrl)}
      </label>
      <div className="sitekey__row">
        <input
          id={id}
          ref={inputRef}
          className="input input--mono sitekey__value"
          readOnly
          value={siteKey}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="site-key"
        />
        <button type="button" className="button button--primary" onClick={copy}>
          {copied === "yes" ? <IconCheck /> : <IconCopy />}
          {copied === "yes" ? "Copied" : "Copy key"}
        </button>
      </div>
      <p className="field__hint" role="status">
        {copied === "manual"
          ? "Your browser blocked the clipboard; the key is selected, press Ctrl+C (⌘C on Mac) to copy it."
          : null}
      </p>
      <div className="install-hint">
        <p className="install-hint__title">Install it</p>
        <ol className="install-hint__steps">
          <li>Open the admin area of {shortSite(siteUrl)}.</li>
          <li>
            Open the plugin's <strong>Settings → License</strong> and paste the key.
          </li>
          <li>Save. The plugin checks in and picks up its license within minutes.</li>
        </ol>
      </div>
    </div>
  );
}
